import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Ingress
import XCTest

/// Messages a person sends the customer from the WhatsApp Business app (Meta's `smb_message_echoes`) are on the
/// customer's ongoing ticket as outbound messages and count as its first response; they never open a ticket.
final class TicketEchoTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws { gateway = try TestGateway.tickets() }
    override func tearDown() { gateway = nil }

    private func echo(_ id: String, to phone: String = "60123456789", text: String, at: Int64) -> [UInt8] {
        let body = #"{"object": "whatsapp_business_account", "entry": [{"id": "\#(WhatsAppFixtures.wabaID)", "#
            + #""changes": [{"field": "smb_message_echoes", "value": {"messaging_product": "whatsapp", "#
            + #""metadata": {"phone_number_id": "\#(WhatsAppFixtures.phoneNumberID)"}, "message_echoes": [{"#
            + #""from": "15550783881", "to": "\#(phone)", "id": "\#(id)", "timestamp": "\#(at)", "type": "text", "#
            + #""text": {"body": "\#(text)"}}]}}]}]}"#
        return Array(body.utf8)
    }

    func testAnEchoIsTheTicketsOutboundMessageAndItsFirstResponse() throws {
        let id = try gateway.openTicket("My printer is not working")
        let at = gateway.messageTimestamp + 30
        try gateway.customerSends(echo("wamid.ECHO1", text: "Hi, restart it please", at: at))
        try gateway.customerSends(echo("wamid.ECHO1", text: "Hi, restart it please", at: at))
        let messages = try gateway.ticketList(id, "messages")
        XCTAssertEqual(messages.map { $0["direction"] }, ["in", "out"], "the same echo files once")
        XCTAssertEqual(messages.last?["wa_message_id"], "wamid.ECHO1")
        XCTAssertEqual(messages.last?["sender"], "whatsapp_business_app")
        XCTAssertEqual(messages.last?["text"], "Hi, restart it please")
        XCTAssertEqual(try gateway.onlyTicket()["first_response_at"]?.stringValue, Timestamps.rfc3339(at * 1000))
        XCTAssertEqual(try gateway.count("ticket_history", "action = 'replied' AND actor = 'whatsapp_business_app'"), 1)
        XCTAssertEqual(try gateway.count("inbox_items", "kind = 'echo' AND status = 'failed'"), 0)

        // Deleted in the app: the words leave the thread.
        let revoke = #"{"object": "whatsapp_business_account", "entry": [{"id": "\#(WhatsAppFixtures.wabaID)", "#
            + #""changes": [{"field": "smb_message_echoes", "value": {"metadata": {"phone_number_id": "#
            + #""\#(WhatsAppFixtures.phoneNumberID)"}, "message_echoes": [{"from": "15550783881", "#
            + #""to": "60123456789", "id": "wamid.ECHO1-DEL", "timestamp": "\#(at + 60)", "type": "revoke", "#
            + #""revoke": {"original_message_id": "wamid.ECHO1"}}]}}]}]}"#
        try gateway.customerSends(Array(revoke.utf8))
        let echoed = try gateway.ticketList(id, "messages").last
        XCTAssertEqual(echoed?["wa_message_id"], "wamid.ECHO1")
        XCTAssertEqual(echoed?["text"], .null)
    }

    func testAnEchoNeverOpensATicket() throws {
        try gateway.customerSends(echo("wamid.ECHO2", to: "60111222333", text: "Promo for you",
                                       at: gateway.messageTimestamp))
        XCTAssertEqual(try gateway.count("tickets"), 0)
        XCTAssertEqual(gateway.app.metrics.counter("gateway_ticket_messages_total",
                                                   [("outcome", "echo_without_ticket")]), 1)
    }
}
