import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Ingress
import XCTest

/// Voice calls (Meta's `calls` field) are on the conversation: a call the customer placed is filed like their message
/// (it opens a ticket when none is ongoing) as one `call` line whose outcome, start, end and duration later reports
/// fill in; a call the business placed goes on the ongoing ticket only.
final class TicketCallTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws { gateway = try TestGateway.tickets() }
    override func tearDown() { gateway = nil }

    private func calls(_ value: String) -> [UInt8] {
        Array((#"{"object": "whatsapp_business_account", "entry": [{"id": "\#(WhatsAppFixtures.wabaID)", "#
            + #""changes": [{"field": "calls", "value": {"messaging_product": "whatsapp", "metadata": "#
            + #"{"phone_number_id": "\#(WhatsAppFixtures.phoneNumberID)"}, \#(value)}}]}]}"#).utf8)
    }

    func testACustomersCallOpensATicketAndItsEndFillsInTheOutcome() throws {
        let t = gateway.messageTimestamp
        try gateway.customerSends(calls(#"""
            "calls": [{"id": "wacid.C1", "from": "60123456789", "to": "15550783881", "event": "connect",
                       "direction": "USER_INITIATED", "timestamp": "\#(t)"}]
            """#))
        try gateway.customerSends(calls(#"""
            "calls": [{"id": "wacid.C1", "from": "60123456789", "to": "15550783881", "event": "terminate",
                       "direction": "USER_INITIATED", "timestamp": "\#(t + 130)", "status": ["COMPLETED"],
                       "start_time": "\#(t + 5)", "end_time": "\#(t + 125)", "duration": 120}]
            """#))
        let ticket = try gateway.onlyTicket()
        XCTAssertEqual(ticket["outlet_status"], .null, "outlet resolution looks at messages, not calls")
        let id = try XCTUnwrap(ticket["id"]?.int64Value)
        let thread = try gateway.ticketList(id, "messages")
        XCTAssertEqual(thread.count, 1, "one line per call")
        XCTAssertEqual(thread.first?["type"], "call")
        XCTAssertEqual(thread.first?["direction"], "in")
        let call = try XCTUnwrap(thread.first?["content"]?["call"])
        XCTAssertEqual(call["direction"], "customer")
        XCTAssertEqual(call["status"], "COMPLETED")
        XCTAssertEqual(call["duration"], 120)
        XCTAssertEqual(call["started_at"], .integer(t + 5))
        XCTAssertEqual(call["ended_at"], .integer(t + 125))
        XCTAssertEqual(call["events"], ["connect", "terminate"])
        XCTAssertEqual(try gateway.count("inbox_items", "kind = 'call' AND status = 'failed'"), 0)
    }

    func testABusinessCallGoesOnTheOngoingTicketOnly() throws {
        let t = gateway.messageTimestamp
        try gateway.customerSends(calls(#"""
            "statuses": [{"id": "wacid.B0", "type": "call", "status": "RINGING", "timestamp": "\#(t)",
                          "recipient_id": "60111222333"}]
            """#))
        XCTAssertEqual(try gateway.count("tickets"), 0, "the business calling opens no ticket")

        let id = try gateway.openTicket("Please call me back")
        try gateway.customerSends(calls(#"""
            "calls": [{"id": "wacid.B1", "from": "15550783881", "to": "60123456789", "event": "connect",
                       "direction": "BUSINESS_INITIATED", "timestamp": "\#(t + 10)"}],
            "statuses": [{"id": "wacid.B1", "type": "call", "status": "ACCEPTED", "timestamp": "\#(t + 12)",
                          "recipient_id": "60123456789"}]
            """#))
        let call = try XCTUnwrap(gateway.ticketList(id, "messages").first { $0["type"] == "call" })
        XCTAssertEqual(call["direction"], "out")
        XCTAssertEqual(call["content"]?["call"]?["direction"], "business")
        XCTAssertEqual(call["content"]?["call"]?["status"], "ACCEPTED")
        XCTAssertEqual(gateway.app.metrics.counter("gateway_ticket_messages_total",
                                                   [("outcome", "call_without_ticket")]), 1)
    }
}
