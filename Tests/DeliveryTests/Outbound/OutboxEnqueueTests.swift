import Delivery
import Foundation
import GatewayTesting
import HTTPTesting
import Storage
import XCTest

/// `Outbox.enqueue` inside the caller's transaction: the call exists exactly when the state change does, once per
/// idempotency key, and only if it could ever be sent.
final class OutboxEnqueueTests: XCTestCase {
    private var outbound: OutboundHarness!

    /// A dispatcher with no deliverable endpoint: rows stay where the test put them.
    override func setUpWithError() throws {
        outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: nil)])
        outbound.dispatcher.stop()
    }

    override func tearDown() { outbound = nil }

    private struct Abort: Error {}

    func testRowCommitsWithTheStateChangeAndRollsBackWithIt() throws {
        let writer = outbound.store.writer
        let now = outbound.clock.now
        try writer.perform { connection in
            try connection.run("INSERT INTO gateway_meta (key, value) VALUES ('ticket:1', 'closed')")
            try Outbox.enqueue(OutboundHarness.event("ticket.closed:1"), in: connection, now: now)
        }
        XCTAssertThrowsError(try writer.perform { connection -> Void in
            try connection.run("INSERT INTO gateway_meta (key, value) VALUES ('ticket:2', 'closed')")
            try Outbox.enqueue(OutboundHarness.event("ticket.closed:2"), in: connection, now: now)
            throw Abort()
        })
        XCTAssertNotNil(try outbound.outboxRow("ticket.closed:1"))
        XCTAssertNil(try outbound.outboxRow("ticket.closed:2"), "the call outlived a rolled-back state change")
        XCTAssertEqual(try outbound.rows("SELECT count(*) AS n FROM gateway_meta WHERE key LIKE 'ticket:%'").first?["n"], "1")
    }

    func testStoredRowKeepsEverythingButCredentials() throws {
        let at = outbound.clock.now
        let message = OutboundMessage(endpoint: "whatsapp", method: "POST", path: "/106540352242922/messages",
                                      headers: [("X-Tenant", "outlet-7")], body: Array(#"{"to":"6012"}"#.utf8),
                                      idempotencyKey: "wa:template:42", orderingKey: "contact:6012",
                                      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                                      notBeforeMillis: at + 60_000)
        guard case .enqueued(let id) = try outbound.enqueue(message) else { return XCTFail("not enqueued") }
        let row = try XCTUnwrap(outbound.outboxRow("wa:template:42"))
        XCTAssertEqual(row["id"], String(id))
        XCTAssertEqual(row["endpoint"], "whatsapp")
        XCTAssertEqual(row["path"], "/106540352242922/messages")
        XCTAssertEqual(row["headers"], "X-Tenant: outlet-7\n")
        XCTAssertEqual(row["body"], #"{"to":"6012"}"#)
        XCTAssertEqual(row["ordering_key"], "contact:6012")
        XCTAssertEqual(row["traceparent"], message.traceparent)
        XCTAssertEqual(row["status"], "pending")
        XCTAssertEqual(row["attempts"], "0")
        XCTAssertEqual(row["created_at"], String(at))
        XCTAssertEqual(row["next_attempt_at"], String(at + 60_000))
    }

    func testAKnownIdempotencyKeyIsNotEnqueuedAgain() throws {
        XCTAssertNotEqual(try outbound.enqueue("evt-dup"), .duplicate)
        XCTAssertEqual(try outbound.enqueue("evt-dup"), .duplicate)
        // Dead-lettered keys stay known too: replay is the way to send them again.
        try outbound.store.writer.perform { connection in
            try connection.run("""
                INSERT INTO dead_letters (endpoint, method, path, headers, body, idempotency_key, created_at, dead_at,
                                          attempts, reason, error_class, history)
                VALUES ('sink', 'POST', '', '', x'', 'evt-dead', 0, 0, 1, 'permanent', 'http_4xx', '[]')
                """)
        }
        XCTAssertEqual(try outbound.enqueue("evt-dead"), .duplicate)
        XCTAssertEqual(try outbound.rows("SELECT count(*) AS n FROM outbox").first?["n"], "1")
    }

    func testMessagesThatCouldNeverBeSentAreRefusedBeforeWriting() {
        let bad: [(OutboundMessage, String)] = [
            (OutboundMessage(endpoint: "Bad Name", body: [], idempotencyKey: "k1"), "endpoint"),
            (OutboundMessage(endpoint: "sink", method: "PO ST", body: [], idempotencyKey: "k2"), "method"),
            (OutboundMessage(endpoint: "sink", path: "events", body: [], idempotencyKey: "k3"), "path"),
            (OutboundMessage(endpoint: "sink", body: [], idempotencyKey: ""), "idempotencyKey"),
            (OutboundMessage(endpoint: "sink", body: [], idempotencyKey: "has space"), "idempotencyKey"),
            (OutboundMessage(endpoint: "sink", headers: [("Authorization", "Bearer x")], body: [], idempotencyKey: "k4"),
             "headers"),
            (OutboundMessage(endpoint: "sink", headers: [("webhook-id", "x")], body: [], idempotencyKey: "k5"), "headers"),
            (OutboundMessage(endpoint: "sink", headers: [("X-A", "a\r\nInjected: 1")], body: [], idempotencyKey: "k6"),
             "headers"),
            (OutboundMessage(endpoint: "sink", body: [], idempotencyKey: "k7", orderingKey: ""), "orderingKey"),
        ]
        for (message, field) in bad {
            XCTAssertThrowsError(try outbound.enqueue(message), field) { error in
                guard case OutboxError.invalidMessage(let reported, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(reported, field)
            }
        }
        XCTAssertEqual(try outbound.rows("SELECT count(*) AS n FROM outbox").first?["n"], "0")
    }
}
