import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// `gateway demo` (the real binary) against a running gateway with the same secrets: tickets in both queues and
/// both languages, a chatbot's deal, a demo agent who can sign in, the desk around the tickets (outlets, canned
/// replies, articles, tickets being worked) and a dead letter; refused without the secrets.
final class DemoCommandTests: XCTestCase {
    func testTheDemoFillsTheConsoleWithTicketsADealAnAgentAndADeadLetter() throws {
        // The bot signature window is checked against the gateway's clock: it starts at the real time here. The
        // Cloud API refuses every message: the demo's failing outbound target.
        let cloud = try StubSink { _, _ in CloudAPIReply.error(131026, "Message undeliverable") }
        let gateway = try TestGateway(clockStart: Int64(Date().timeIntervalSince1970 * 1000)) { config in
            config.whatsapp.apiURL = cloud.url + "/v21.0"
            config.whatsapp.phoneNumberID = "demo"
        }
        defer { gateway.shutdown() }
        let environment = ["WHATSAPP_APP_SECRET": TestGateway.appSecret, "BOT_WEBHOOK_SECRETS": TestGateway.botSecret.encoded,
                           "ADMIN_TOKEN": TestGateway.adminToken, "WHATSAPP_PHONE_NUMBER_ID": "demo"]
        let (status, output, errors) = try GatewayProcess.run(["demo", "--url", gateway.baseURL], environment: environment)
        XCTAssertEqual(status, 0, errors)
        XCTAssertTrue(output.contains("open \(gateway.baseURL)/console and sign in as agent@demo.example"), output)

        eventually("the six demo tickets") { try gateway.conversationTickets().count == 6 }
        let tickets = try gateway.conversationTickets()
        XCTAssertEqual(Set(tickets.compactMap { $0["queue"]?.stringValue }), ["support", "sales"])
        XCTAssertEqual(Set(tickets.compactMap { $0["language"]?.stringValue }), ["en", "ms"])
        let deals = try gateway.admin("GET", "/v1/deals").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(deals.first?["creator_label"]?.stringValue, "Bot")
        eventually("the dead letter") {
            try gateway.admin("GET", "/v1/dead-letters?endpoint=events").json?["items"]?.arrayValue?.count == 1
        }
        XCTAssertEqual(try gateway.signIn(email: "agent@demo.example", password: "demo-agent-password").status, 201)

        // The desk around the tickets: a linked outlet, assignments, a note, a reply that stopped the first-response
        // clock, a pending and a resolved ticket, the canned replies and articles the ticket page offers.
        func ticket(_ name: String) throws -> JSONValue {
            try XCTUnwrap(tickets.first { $0["name"]?.stringValue == "WhatsApp: \(name)" }, name)
        }
        let aisyah = try gateway.admin("GET", "/v1/tickets/\(try ticket("Aisyah Rahman")["id"]?.int64Value ?? 0)").json
        XCTAssertEqual(aisyah?["outlet_name"]?.stringValue, "Kopi Co Bangsar")
        XCTAssertEqual(aisyah?["assignee"]?.stringValue, "agent@demo.example")
        XCTAssertNotEqual(aisyah?["first_response_at"], .null, "the reply stopped the first-response clock")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(try ticket("Tan Wei Ming")["id"]?.int64Value ?? 0)").json?["status"], "resolved")
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(try ticket("Siti Aminah")["id"]?.int64Value ?? 0)").json?["status"], "pending")
        XCTAssertEqual(try gateway.ticketList(try ticket("Ravi Kumar")["id"]?.int64Value ?? 0, "notes").count, 1)
        eventually("the reply went to the (failing) Cloud API") {
            cloud.received.contains { $0.text.contains("we are checking the printer with you now") }
        }
        let opened = try gateway.admin("GET", "/v1/analytics/response-times").json
        XCTAssertEqual(opened?["totals"]?["frt"]?["tickets"]?.int64Value, 1, opened.map { JSONWriter.string($0) } ?? "")
        let canned = { try gateway.admin("GET", "/v1/canned-replies").json?["items"]?.arrayValue?.count }
        let articles = { try gateway.admin("GET", "/v1/kb/articles").json?["items"]?.arrayValue?.count }
        XCTAssertEqual(try canned(), 4)
        XCTAssertEqual(try articles(), 2)

        // Run again: new messages, and the agent who exists already is not an error.
        let again = try GatewayProcess.run(["demo", "--url", gateway.baseURL], environment: environment)
        XCTAssertEqual(again.0, 0, again.2)
        XCTAssertEqual(try canned(), 4, "the same canned replies")
        XCTAssertEqual(try articles(), 2, "the same articles")
    }

    func testWithoutTheGatewaysSecretsTheDemoStopsNamingTheKey() throws {
        let (status, _, errors) = try GatewayProcess.run(["demo", "--url", "http://127.0.0.1:9"], environment: [:])
        XCTAssertEqual(status, 78)
        XCTAssertTrue(errors.contains("whatsapp.app_secret (WHATSAPP_APP_SECRET)"), errors)
        let unreachable = try GatewayProcess.run(["demo", "--url", "http://127.0.0.1:9"], environment: [
            "WHATSAPP_APP_SECRET": "s", "BOT_WEBHOOK_SECRETS": TestGateway.botSecret.encoded])
        XCTAssertEqual(unreachable.0, 1)
        XCTAssertTrue(unreachable.2.contains("did not answer"), unreachable.2)
    }
}
