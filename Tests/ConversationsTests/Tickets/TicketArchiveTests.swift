import Conversations
import GatewayKit
import GatewayTestSupport
import HTTPClient
import Ingress
import XCTest

/// A resolved ticket is archived once its reopen window (`tickets.reopen_window`, 7 days) has ended: read-only,
/// out of the default lists, and the customer's next message opens a new ticket.
final class TicketArchiveTests: XCTestCase {
    func testResolvedTicketsAreArchivedWhenTheyCanNoLongerReopen() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        let old = try gateway.openTicket("printer broken")
        try gateway.move(old, to: "resolved")
        gateway.advance(minutes: 2 * 24 * 60)
        try gateway.customerSays("hello", phone: "60111000002", name: "Ben")
        let recent = try XCTUnwrap(try gateway.conversationTickets().first?["id"]?.int64Value)
        try gateway.move(recent, to: "resolved")

        gateway.advance(minutes: 5 * 24 * 60 + 1)
        XCTAssertEqual(gateway.app.ticketArchiver.archiveOnce(), 1, "only the one resolved seven days ago")
        XCTAssertEqual(gateway.app.ticketArchiver.archiveOnce(), 0)
        let ticket = try XCTUnwrap(try gateway.admin("GET", "/v1/tickets/\(old)").json)
        XCTAssertNotEqual(ticket["archived_at"], .null)
        XCTAssertEqual(try gateway.ticketList(old, "history").last?["action"], "archived")

        func listed(_ query: String) throws -> [Int64] {
            try gateway.conversationTickets(query).compactMap { $0["id"]?.int64Value }
        }
        XCTAssertEqual(try listed("channel=whatsapp"), [recent])
        XCTAssertEqual(try listed("channel=whatsapp&archived=true"), [old])
        XCTAssertEqual(try listed("channel=whatsapp&archived=all"), [recent, old])
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets?archived=maybe").status, 400)

        // Read-only: no move, note, reply or claim.
        for (path, body) in [("status", #"{"status": "closed"}"#), ("notes", #"{"text": "late"}"#),
                             ("messages", #"{"text": "still there?"}"#), ("claim", "")] {
            let refused = try gateway.admin("POST", "/v1/tickets/\(old)/\(path)", body: body.isEmpty ? nil : body)
            XCTAssertEqual(refused.status, 409, "\(path): \(refused.text)")
            XCTAssertTrue(refused.text.contains("archived"), refused.text)
        }
        // The customer writes again: a new ticket.
        try gateway.customerSays("printer broken again")
        XCTAssertEqual(try listed("channel=whatsapp").count, 2)
        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(old)").json?["status"], "resolved")
    }
}
