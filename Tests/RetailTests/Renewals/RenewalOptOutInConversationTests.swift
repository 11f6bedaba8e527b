import Foundation
import GatewayKit
import GatewayTestSupport
import Ingress
import XCTest

/// STOP / BERHENTI over the signed webhook from a customer who is in the middle of a support conversation: the
/// renewal opt-out is taken, and the message still shows in the ticket's thread. Without a conversation, the
/// keyword opens no ticket.
final class RenewalOptOutInConversationTests: XCTestCase {
    func testAStopInsideAnOpenConversationOptsOutAndStaysOnTheTicket() throws {
        let gateway = try TestGateway.tickets()
        let id = try gateway.openTicket("my printer is broken")
        try gateway.customerSays("STOP")

        XCTAssertEqual(try gateway.rows("""
            SELECT phone, keyword, language FROM renewal_opt_outs WHERE opted_out_at IS NOT NULL
            """), [["phone": "60123456789", "keyword": "STOP", "language": "en"]])
        XCTAssertEqual(gateway.app.metrics.counter("gateway_renewal_opt_outs_total", [("action", "opt_out")]), 1)
        XCTAssertEqual(try gateway.ticketList(id, "messages").compactMap { $0["text"]?.stringValue },
                       ["my printer is broken", "STOP"])
        XCTAssertEqual(try gateway.ticket(id)["status"], "open")

        // A pending ticket is still the conversation: the keyword lands on it (and, like any customer message,
        // hands it back to the agents).
        try gateway.ticketAction(id, "status", #"{"status": "pending", "actor": "agent-1"}"#)
        try gateway.customerSays("mula")
        XCTAssertEqual(try gateway.ticketList(id, "messages").last?["text"], "mula")
        XCTAssertEqual(try gateway.ticket(id)["status"], "open")
        XCTAssertEqual(try gateway.rows("SELECT opted_out_at FROM renewal_opt_outs"), [[:]], "opted back in")

        // No open conversation: the keyword is an opt-out only.
        try gateway.customerSays("berhenti", phone: "60199999999")
        try gateway.ticketAction(id, "status", #"{"status": "resolved", "actor": "agent-1"}"#)
        try gateway.customerSays("STOP")
        XCTAssertEqual(try gateway.conversationTickets().count, 1)
        XCTAssertEqual(try gateway.ticket(id)["status"], "resolved", "a resolved ticket is not reopened by STOP")
        XCTAssertEqual(try gateway.ticketList(id, "messages").count, 3)
        XCTAssertEqual(try gateway.count("renewal_opt_outs", "opted_out_at IS NOT NULL"), 2)
    }
}
