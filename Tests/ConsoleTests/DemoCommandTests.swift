import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// `gateway demo` (the real binary) against a running gateway with the same secrets: tickets in both queues and
/// both languages, a chatbot's deal, a demo agent who can sign in and a dead letter; refused without the secrets.
final class DemoCommandTests: XCTestCase {
    func testTheDemoFillsTheConsoleWithTicketsADealAnAgentAndADeadLetter() throws {
        // The bot signature window is checked against the gateway's clock: it starts at the real time here.
        let gateway = try TestGateway(clockStart: Int64(Date().timeIntervalSince1970 * 1000))
        defer { gateway.shutdown() }
        let environment = ["WHATSAPP_APP_SECRET": TestGateway.appSecret, "BOT_WEBHOOK_SECRETS": TestGateway.botSecret.encoded,
                           "ADMIN_TOKEN": TestGateway.adminToken]
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

        // Run again: new messages, and the agent who exists already is not an error.
        XCTAssertEqual(try GatewayProcess.run(["demo", "--url", gateway.baseURL], environment: environment).0, 0)
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
