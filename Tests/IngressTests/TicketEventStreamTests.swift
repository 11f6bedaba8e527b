import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import Storage
import XCTest

/// `GET /v1/stream` over HTTP against a WhatsApp desk: changes arrive as Server-Sent Events without polling by the
/// client, only those of tickets the caller may see, and a client that reconnects with `Last-Event-ID` gets what it
/// missed — or a `reset` when it cannot.
final class TicketEventStreamTests: XCTestCase {
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

    private func open(token: String = TestGateway.adminToken, lastEventID: String? = nil,
                      query: String = "") throws -> TestEventStream {
        var headers = [("Authorization", "Bearer \(token)")]
        if let lastEventID { headers.append(("Last-Event-ID", lastEventID)) }
        return try TestEventStream(port: gateway.app.port, path: "/v1/stream" + query, headers: headers)
    }

    /// The ticket events (id, kind) among `events`.
    private func tickets(_ events: [TestEventStream.Event]) -> [(Int64, String)] {
        events.filter { $0.type == "ticket" }.compactMap { event in
            guard let data = try? JSONParser.parse(Array(event.data.utf8)),
                  let id = data["ticket_id"]?.int64Value, let kind = data["kind"]?.stringValue else { return nil }
            return (id, kind)
        }
    }

    /// The feed position an event id names, comparable: `seq` alone on SQLite (transaction 0), `transaction.seq` on
    /// PostgreSQL.
    private func position(_ id: String?) -> FeedPosition? {
        guard let parts = id?.split(separator: ".", omittingEmptySubsequences: false), parts.count <= 2
        else { return nil }
        let numbers = parts.compactMap { Int64($0) }
        guard numbers.count == parts.count else { return nil }
        return numbers.count == 2 ? FeedPosition(transaction: numbers[0], seq: numbers[1])
            : FeedPosition(transaction: 0, seq: numbers[0])
    }

    /// Events until one about `ticket` of `kind` arrived (all of them), or fails.
    private func events(_ stream: TestEventStream, until ticket: Int64, _ kind: String,
                        file: StaticString = #filePath, line: UInt = #line) -> [TestEventStream.Event] {
        var seen: [TestEventStream.Event] = []
        while let event = stream.next() {
            seen.append(event)
            if tickets([event]).contains(where: { $0 == (ticket, kind) }) { return seen }
        }
        XCTFail("no \(kind) event for ticket \(ticket); got \(seen)", file: file, line: line)
        return seen
    }

    func testAStreamStartsReadyAndAWebhookMessageArrivesAsItsTicketsEvents() throws {
        let stream = try open()
        XCTAssertEqual(stream.status, 200)
        XCTAssertEqual(stream.responseHeaders.first { $0.0.lowercased() == "content-type" }?.1,
                       "text/event-stream; charset=utf-8")
        let ready = try XCTUnwrap(stream.next())
        XCTAssertEqual(ready.type, "ready")
        let start = try XCTUnwrap(position(ready.lastEventID))

        try gateway.customerSays("hello, my order is late")
        let ticket = try XCTUnwrap(try gateway.onlyTicket()["id"]?.int64Value)
        let seen = events(stream, until: ticket, "message")
        XCTAssertTrue(tickets(seen).contains { $0 == (ticket, "opened") }, "\(seen)")
        let ids = seen.compactMap { position($0.lastEventID) }
        XCTAssertEqual(ids.count, tickets(seen).count, "every event has a position: \(seen)")
        XCTAssertTrue(ids.allSatisfy { $0 > start } && ids == ids.sorted(), "positions only grow: \(ids)")

        // An agent's note is live too, on the same connection.
        XCTAssertEqual(try gateway.ticketAction(ticket, "notes", #"{"text": "checking with the outlet"}"#).status, 201)
        _ = events(stream, until: ticket, "note")
    }

    func testAScopedCallerHearsOnlyTheirOutletsTickets() throws {
        try gateway.pushOutlet("O1", name: "Kopi Bangsar", phones: ["+60199000001"], fid: "F1")
        try gateway.pushOutlet("O2", name: "Teh Tarik", phones: ["+60199000002"], fid: "F2", franchise: "Teh")
        try gateway.customerSays("first", phone: "60123000001")
        try gateway.customerSays("second", phone: "60123000002")
        let ids = try gateway.conversationTickets().compactMap { $0["id"]?.int64Value }.sorted()
        XCTAssertEqual(try gateway.linkOutlet(ids[0], #"{"oid": "O1"}"#).status, 200)
        XCTAssertEqual(try gateway.linkOutlet(ids[1], #"{"oid": "O2"}"#).status, 200)

        let scoped = try open(token: try gateway.token(role: "agent", scope: ["F1"], name: "f1-agent"))
        XCTAssertEqual(scoped.next()?.type, "ready")
        try gateway.customerSays("again from outlet two", phone: "60123000002")
        try gateway.customerSays("again from outlet one", phone: "60123000001")
        let seen = events(scoped, until: ids[0], "message")
        XCTAssertFalse(tickets(seen).contains { $0.0 == ids[1] }, "another outlet's ticket is not heard: \(seen)")
    }

    func testReconnectingWithLastEventIDGetsWhatWasMissedOnce() throws {
        try gateway.customerSays("before")
        let ticket = try XCTUnwrap(try gateway.onlyTicket()["id"]?.int64Value)
        let first = try open()
        let last = try XCTUnwrap(first.next()?.lastEventID)
        first.socket.finishSending()

        try gateway.move(ticket, to: "pending")
        try gateway.customerSays("while away")
        let resumed = try open(lastEventID: last)
        let (ready, missed) = try XCTUnwrap(resumed.next(ofType: "ready"))
        let kinds = tickets(missed).filter { $0.0 == ticket }.map(\.1)
        XCTAssertTrue(kinds.contains("changed") && kinds.contains("message"), "\(missed)")
        let positions = missed.compactMap { position($0.lastEventID) }
        XCTAssertEqual(positions.count, tickets(missed).count, "every event has a position: \(missed)")
        XCTAssertEqual(Set(positions).count, positions.count, "no event twice")
        let from = try XCTUnwrap(position(last))
        XCTAssertTrue(positions.allSatisfy { $0 > from })
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(position(ready.lastEventID)), try XCTUnwrap(positions.max()))
    }

    func testAPositionTheFeedCannotResumeFromIsAReset() throws {
        try gateway.customerSays("hello")
        // Ahead of the feed: an id from another database, or from before a restore (in either form).
        XCTAssertEqual(try open(lastEventID: "999999999.1").next()?.type, "reset")
        let stream = try open(lastEventID: "999999999")
        let event = try XCTUnwrap(stream.next())
        XCTAssertEqual(event.type, "reset")
        // The reset says where to follow from, and resuming from there is exact.
        let now = try XCTUnwrap(event.lastEventID)
        XCTAssertEqual(try open(lastEventID: now).next()?.type, "ready")
        // From the very start (nothing seen, nothing purged yet): every event, then ready.
        let (_, all) = try XCTUnwrap(try open(lastEventID: "0").next(ofType: "ready"))
        XCTAssertEqual(position(all.first?.lastEventID)?.seq, 1)
    }

    func testBadInputIsA400NamingTheField() throws {
        for (id, query, field) in [("abc", "", "Last-Event-ID"), ("-5", "", "Last-Event-ID"),
                                   ("99999999999999999999", "", "Last-Event-ID"), ("1.2.3", "", "Last-Event-ID"),
                                   ("7.", "", "Last-Event-ID"), (".7", "", "Last-Event-ID"),
                                   ("7.-1", "", "Last-Event-ID"),
                                   (nil, "?last_event_id=x", "Last-Event-ID"),
                                   (nil, "?since=5", "since")] {
            let stream = try open(lastEventID: id, query: query)
            XCTAssertEqual(stream.status, 400, "\(id ?? query)")
            XCTAssertTrue(stream.problemText.contains("\"\(field)\""), stream.problemText)
        }
        let anonymous = try TestEventStream(port: gateway.app.port, path: "/v1/stream")
        XCTAssertEqual(anonymous.status, 401)
    }

    /// The feed's events of ticket `id`, oldest first.
    private func feedKinds(_ id: Int64) throws -> [String] {
        try gateway.rows("SELECT kind FROM ticket_events WHERE ticket_id = ? ORDER BY seq", [.integer(id)])
            .compactMap { $0["kind"] }
    }

    /// Every way a ticket opens or gains a message writes its feed rows (and a conversation ticket its analytics mark)
    /// in the same transaction: a WhatsApp message, a bot's `ticket.created`, a lead entered by hand and an agent's
    /// reply. These rows are written by the code that inserts the ticket or the message, not by triggers, so each
    /// insert path is checked.
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
        XCTAssertEqual(try feedKinds(conversation), ["opened", "message", "message", "changed", "message"])
        XCTAssertEqual(try feedKinds(bot), ["opened"])
        XCTAssertEqual(try feedKinds(leadTicket), ["opened"])
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

/// A position of the feed as a client reads it from event ids.
private struct FeedPosition: Comparable, Hashable {
    let transaction: Int64
    let seq: Int64

    static func < (lhs: FeedPosition, rhs: FeedPosition) -> Bool {
        (lhs.transaction, lhs.seq) < (rhs.transaction, rhs.seq)
    }
}
