import Configuration
import Foundation
import GatewayKit
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Helpers for the conversation-ticket tests: customer messages over the signed WhatsApp webhook, and the ticket API.
package extension TestGateway {
    /// A gateway with the admin token and the shipped classification rules; `configure` adjusts the rest.
    static func tickets(configure: (inout GatewayConfig) -> Void = { _ in }) throws -> TestGateway {
        try TestGateway { config in
            config.adminToken = adminToken
            configure(&config)
        }
    }

    /// WhatsApp's time for messages sent "now": the gateway's millisecond clock in seconds.
    var messageTimestamp: Int64 { clock.now / 1000 }

    /// Each person sends "hello" from their phone (digits, no `+`), becoming a customer: their contact ids by name.
    func customersSayHello(_ people: [(name: String, phone: String)], file: StaticString = #filePath,
                           line: UInt = #line) throws -> [String: String] {
        var ids: [String: String] = [:]
        for (name, phone) in people {
            try customerSays("hello", phone: phone, name: name, file: file, line: line)
            ids[name] = try XCTUnwrap(try admin("GET", "/v1/contacts?phone=%2B\(phone)").json?["id"]?.stringValue,
                                      "the contact of \(name)", file: file, line: line)
        }
        return ids
    }

    /// Sends a customer text message over the signed webhook and waits until it has been applied.
    @discardableResult
    func customerSays(_ text: String, phone: String? = "60123456789", bsuid: String? = nil, name: String? = "Aisyah",
                      id: String = "wamid.\(UUID().uuidString)", file: StaticString = #filePath,
                      line: UInt = #line) throws -> String {
        try customerSends(WhatsAppBodyBuilder.message(id: id, phone: phone, bsuid: bsuid, name: name,
                                                      timestamp: messageTimestamp, text: text), file: file, line: line)
        return id
    }

    /// Posts a signed WhatsApp body and waits until its items have been applied.
    func customerSends(_ body: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
        let response = try postWhatsApp(body)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        waitForIdentity(file: file, line: line)
    }

    /// A customer's first message, and the id of the ticket it opened.
    func openTicket(_ text: String = "hello", file: StaticString = #filePath, line: UInt = #line) throws -> Int64 {
        try customerSays(text, file: file, line: line)
        return try XCTUnwrap(onlyTicket(file: file, line: line)["id"]?.int64Value, file: file, line: line)
    }

    /// The conversation tickets, newest first.
    func conversationTickets(_ query: String = "channel=whatsapp", file: StaticString = #filePath,
                             line: UInt = #line) throws -> [JSONValue] {
        let response = try admin("GET", "/v1/tickets?\(query)", file: file, line: line)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return response.json?["items"]?.arrayValue ?? []
    }

    /// The only conversation ticket (fails the test unless there is exactly one).
    func onlyTicket(file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let tickets = try conversationTickets(file: file, line: line)
        XCTAssertEqual(tickets.count, 1, "conversation tickets: \(tickets)", file: file, line: line)
        return try XCTUnwrap(tickets.first, file: file, line: line)
    }

    /// `GET /v1/tickets/{id}/<list>` items (history, messages, notes).
    func ticketList(_ id: Int64, _ list: String, file: StaticString = #filePath,
                    line: UInt = #line) throws -> [JSONValue] {
        let response = try admin("GET", "/v1/tickets/\(id)/\(list)", file: file, line: line)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return response.json?["items"]?.arrayValue ?? []
    }

    /// A workflow call with a JSON body, e.g. `ticketAction(5, "status", #"{"status":"pending","actor":"a1"}"#)`.
    @discardableResult
    func ticketAction(_ id: Int64, _ action: String, _ body: String, file: StaticString = #filePath,
                      line: UInt = #line) throws -> ClientResponse {
        try admin("POST", "/v1/tickets/\(id)/\(action)", body: body, file: file, line: line)
    }

    /// Moves the gateway clock by `minutes` (reopen windows, SLA due times).
    func advance(minutes: Int64) {
        advanceClock(milliseconds: minutes * 60_000)
    }
}

package extension JSONValue {
    /// The `action` of each history entry, in order.
    var actions: [String] { (arrayValue ?? []).compactMap { $0["action"]?.stringValue } }
}

/// Tests that start from one conversation ticket: a gateway with the ticket features and a customer's "hello".
open class OneTicketTestCase: XCTestCase {
    package var gateway: TestGateway!
    /// The ticket the customer's first message opened.
    package var id: Int64 = 0

    open override func setUpWithError() throws {
        gateway = try TestGateway.tickets()
        id = try gateway.openTicket()
    }

    open override func tearDown() { gateway = nil }
}
