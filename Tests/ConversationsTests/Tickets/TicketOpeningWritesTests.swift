import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Storage
import XCTest

/// Every way a ticket opens or gains a message writes what the desk's change feed and the figures need, in the same
/// transaction: a WhatsApp message, a bot's `ticket.created`, a lead entered by hand and an agent's reply. (These rows
/// are written by the code that inserts the ticket or the message, not by triggers, so each insert path is checked.)
final class TicketOpeningWritesTests: XCTestCase {
    private var cloud: StubSink!
    private var gateway: TestGateway!

    override func setUpWithError() throws {
        cloud = try StubSink { index, _ in CloudAPIReply.accepted("wamid.M\(index)") }
        gateway = try TestGateway.whatsApp(cloud)
    }

    override func tearDown() {
        gateway?.shutdown()
        gateway = nil
        cloud = nil
    }

    /// The feed's events of ticket `id`, oldest first.
    private func events(_ id: Int64) throws -> [String] {
        try gateway.rows("SELECT kind FROM ticket_events WHERE ticket_id = ? ORDER BY seq", [.integer(id)])
            .compactMap { $0["kind"] }
    }

    func testEachNewTicketAndMessageIsInTheFeedAndEachConversationTicketInTheFigures() throws {
        try gateway.customerSays("my order is late")
        let conversation = try XCTUnwrap(try gateway.onlyTicket()["id"]?.int64Value)
        let bot = try gateway.createTicket(#"{"name": "Printer jam"}"#)
        let lead = try gateway.admin("POST", "/v1/leads", body: #"{"phone": "60123000999", "source": "fair"}"#)
        XCTAssertEqual(lead.status, 201, lead.text)
        let leadTicket = try XCTUnwrap(lead.json?["ticket_id"]?.int64Value)
        XCTAssertEqual(try gateway.reply(conversation, #"{"text": "On its way", "actor": "agent-7"}"#).status, 202)
        eventually("the Cloud API accepted the reply") {
            try gateway.count("ticket_messages", "direction = 'out' AND delivery_status = 'accepted'") == 1
        }

        // The customer's message; the reply, and the first response it is (a new version of the ticket); the reply's
        // acceptance by the Cloud API.
        XCTAssertEqual(try events(conversation), ["opened", "message", "message", "changed", "message"])
        XCTAssertEqual(try events(bot), ["opened"])
        XCTAssertEqual(try events(leadTicket), ["opened"])
        let times = try gateway.rows("""
            SELECT ticket_events.at AS event, tickets.created_at AS ticket FROM ticket_events
            JOIN tickets ON tickets.id = ticket_events.ticket_id WHERE ticket_events.kind = 'opened'
            """)
        XCTAssertEqual(times.count, 3)
        XCTAssertTrue(times.allSatisfy { $0["event"] == $0["ticket"] }, "an opening is dated as its ticket: \(times)")

        // Reading a figure applies the queue first: the conversation tickets are counted, the bot's is not.
        XCTAssertEqual(try gateway.admin("GET", "/v1/analytics/tickets").status, 200)
        let counted = try gateway.rows("SELECT ticket_id FROM analytics_ticket_facts ORDER BY ticket_id")
            .compactMap { $0["ticket_id"].flatMap { Int64($0) } }
        XCTAssertEqual(counted, [conversation, leadTicket].sorted())
    }
}
