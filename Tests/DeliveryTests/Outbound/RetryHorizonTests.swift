import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import Storage
import XCTest

/// The retry horizon by age (`outbound.max_retry_age`): a call not delivered that long after it was first due goes
/// to the dead letters unsent, whatever the breaker did, so a queue behind a dead endpoint drains in about that long.
final class RetryHorizonTests: XCTestCase {
    private static let minute: Double = 60

    /// Writes each outcome an observer is told into a table of its own.
    private struct Recorder: OutboundDeliveryObserver {
        func record(_ outcome: OutboundDeliveryOutcome, in connection: any DatabaseConnection) throws {
            try connection.run("CREATE TABLE IF NOT EXISTS seen (key TEXT, result TEXT, error TEXT, attempts INTEGER)")
            try connection.run("INSERT INTO seen VALUES (?, ?, ?, ?)",
                               [.text(outcome.idempotencyKey), .text(outcome.result.rawValue), SQLValue(outcome.error),
                                .integer(Int64(outcome.attempts))])
        }
    }

    /// An endpoint nobody listens on: every attempt fails with connection refused.
    private static func deadEndpoint(_ name: EndpointName) -> OutboundEndpoint {
        OutboundHarness.endpoint(name, url: "http://127.0.0.1:\(StubSink.unusedPort())")
    }

    private func status(_ outbound: OutboundHarness, _ endpoint: EndpointName = "sink") -> EndpointStatus? {
        outbound.dispatcher.status.first { $0.endpoint == endpoint }
    }

    /// The gauge's value for `endpoint` as `/metrics` renders it.
    private func oldestPendingAge(_ outbound: OutboundHarness, _ endpoint: String) -> Double? {
        let prefix = "gateway_outbound_oldest_pending_age_seconds{endpoint=\"\(endpoint)\"} "
        return outbound.metrics.render().split(separator: "\n").first { $0.hasPrefix(prefix) }
            .flatMap { Double($0.dropFirst(prefix.count)) }
    }

    func testRowsPastTheHorizonBehindAnOpenBreakerAreDeadLetteredUnsentAndYoungerOnesStay() throws {
        let outbound = try OutboundHarness(endpoints: [Self.deadEndpoint("sink"), Self.deadEndpoint("short")],
                                           observers: ["sink": Recorder()]) {
            $0.breakerFailureThreshold = 2
            $0.breakerCoolDownMilliseconds = 86_400_000
            $0.maxRetryAgeMilliseconds = 2 * 3_600_000
            $0.endpoints["short"] = OutboundEndpointSettings(maxRetryAgeMilliseconds: 30 * 60_000)
        }
        OutboundGauges.register(in: outbound.metrics, dispatcher: outbound.dispatcher, store: outbound.store,
                                now: { [clock = outbound.clock] in clock.now })
        try outbound.enqueue(all: ["old-tried-1", "old-tried-2"])
        eventually("both tried, breaker open") {
            try outbound.outboxRow("old-tried-1")?["attempts"] == "1" && outbound.outboxRow("old-tried-2")?["attempts"] == "1"
                && self.status(outbound)?.breaker == "open"
        }
        outbound.advance(seconds: Self.minute)
        try outbound.enqueue("old-untried")
        outbound.advance(seconds: 89 * Self.minute)
        try outbound.enqueue("young")
        try outbound.enqueue("short-1", endpoint: "short")
        eventually("short-1 tried") { try outbound.outboxRow("short-1")?["attempts"] == "1" }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(try outbound.outboxRow("old-untried")?["attempts"], "0", "sent through an open breaker")
        eventually("gauge: the oldest row, due 90 minutes ago") { self.oldestPendingAge(outbound, "sink") == 5_400 }

        outbound.advance(seconds: 32 * Self.minute)   // 2h02m after the first rows, 32 minutes after the young ones
        eventually("old rows dead-lettered") {
            try ["old-tried-1", "old-tried-2", "old-untried", "short-1"].allSatisfy { try outbound.deadLetter($0) != nil }
        }
        for (key, attempts) in [("old-tried-1", "1"), ("old-tried-2", "1"), ("old-untried", "0"), ("short-1", "1")] {
            let letter = try XCTUnwrap(outbound.deadLetter(key))
            XCTAssertEqual(letter["reason"], "exhausted", key)
            XCTAssertEqual(letter["error_class"], "expired", key)
            XCTAssertEqual(letter["attempts"], attempts, key)
            XCTAssertNil(try outbound.outboxRow(key), key)
        }
        let tried = try XCTUnwrap(outbound.deadLetter("old-tried-1"))
        XCTAssertTrue(tried["last_error"]?.hasPrefix("not delivered within 2h of its first due time "
                                                     + "(outbound.max_retry_age); last error: ") ?? false,
                      tried["last_error"] ?? "-")
        let history = try JSONParser.parse(Array((tried["history"] ?? "").utf8)).arrayValue ?? []
        XCTAssertEqual(history.map { $0["error_class"]?.stringValue }, ["connect", "expired"])
        XCTAssertEqual(try outbound.deadLetter("short-1")?["last_error"]?.contains("outbound.endpoints.short.max_retry_age"),
                       true)

        let young = try XCTUnwrap(outbound.outboxRow("young"))
        XCTAssertEqual(young["status"], "pending")
        XCTAssertEqual(young["attempts"], "0")
        XCTAssertNil(try outbound.deadLetter("young"))
        XCTAssertEqual(outbound.metrics.counter("gateway_outbound_deliveries_total",
                                                [("endpoint", "sink"), ("outcome", "exhausted")]), 3)
        XCTAssertEqual(outbound.metrics.counter("gateway_outbound_deliveries_total",
                                                [("endpoint", "short"), ("outcome", "exhausted")]), 1)
        XCTAssertEqual(outbound.metrics.counter("gateway_outbound_attempts_total",
                                                [("endpoint", "sink"), ("result", "connect")]), 2,
                       "expired rows were attempted again")
        eventually("gauge: now the young row") { self.oldestPendingAge(outbound, "sink") == 1_920 }
        XCTAssertEqual(oldestPendingAge(outbound, "short"), 0)
        let seen = try outbound.rows("""
            SELECT key, result, attempts, error FROM seen WHERE result = 'dead_lettered' ORDER BY key
            """)
        XCTAssertEqual(seen.map { [$0["key"], $0["result"], $0["attempts"]] },
                       [["old-tried-1", "dead_lettered", "1"], ["old-tried-2", "dead_lettered", "1"],
                        ["old-untried", "dead_lettered", "0"]])
        XCTAssertEqual(seen.first?["error"]?.contains("outbound.max_retry_age"), true)
    }

    func testAReplayedLetterStartsItsAgeAgain() throws {
        let outbound = try OutboundHarness(endpoints: [Self.deadEndpoint("sink")]) {
            $0.breakerFailureThreshold = 1
            $0.breakerCoolDownMilliseconds = 86_400_000
            $0.maxRetryAgeMilliseconds = 3_600_000
        }
        try outbound.enqueue("evt")
        eventually("tried") { try outbound.outboxRow("evt")?["attempts"] == "1" }
        outbound.advance(seconds: 61 * Self.minute)
        eventually("expired") { try outbound.deadLetter("evt")?["error_class"] == "expired" }
        let id = try XCTUnwrap(Int64(try XCTUnwrap(outbound.deadLetter("evt")?["id"])))
        let now = outbound.clock.now
        _ = try outbound.store.writer.perform { try DeadLetterStore.replay(id: id, now: now, in: $0) }
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(try outbound.outboxRow("evt")?["status"], "pending", "a replayed call expired at once")
        XCTAssertEqual(try outbound.outboxRow("evt")?["first_due_at"], String(now))
    }

    func testACallScheduledForLaterCountsItsAgeFromItsScheduledTime() throws {
        let outbound = try OutboundHarness(endpoints: [Self.deadEndpoint("sink")]) {
            $0.maxRetryAgeMilliseconds = 3_600_000
        }
        let sendAt = outbound.clock.now + 3 * 3_600_000
        var message = OutboundHarness.event("reminder")
        message.notBeforeMillis = sendAt
        try outbound.enqueue(message)
        XCTAssertEqual(try outbound.outboxRow("reminder")?["first_due_at"], String(sendAt))
        outbound.advance(seconds: 150 * Self.minute)   // enqueued 2h30m ago, not due for another 30 minutes
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(try outbound.outboxRow("reminder")?["attempts"], "0")
        XCTAssertNil(try outbound.deadLetter("reminder"))
        outbound.advance(seconds: 30 * Self.minute)
        eventually("tried at its time") { try outbound.outboxRow("reminder")?["attempts"] == "1" }
        outbound.advance(seconds: 61 * Self.minute)
        eventually("expired an hour after its time") { try outbound.deadLetter("reminder")?["attempts"] == "1" }
    }

    func testARowInFlightPastTheHorizonIsNeitherExpiredNorSentAgain() throws {
        let sink = try StubSink { _, _ in .delayed(0.5) }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url)]) {
            $0.maxRetryAgeMilliseconds = 3_600_000
        }
        try outbound.enqueue("evt-slow")
        sink.waitForRequests(1)
        outbound.advance(seconds: 25 * 3_600)
        eventually("delivered") { try outbound.outboxRow("evt-slow")?["status"] == "delivered" }
        XCTAssertNil(try outbound.deadLetter("evt-slow"))
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(sink.received.count, 1)
    }
}
