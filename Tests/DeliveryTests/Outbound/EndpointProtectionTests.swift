import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import Storage
import XCTest

/// What protects a receiver (and the gateway) from each other: 410 kill switch, circuit breaker, concurrency and
/// rate limits, per-key ordering, and leases that outlive a dead dispatcher.
final class EndpointProtectionTests: XCTestCase {
    private var sink: StubSink!

    override func setUpWithError() throws { sink = try StubSink() }
    override func tearDown() { sink = nil }

    private func status(_ outbound: OutboundHarness) -> EndpointStatus? {
        outbound.dispatcher.status.first { $0.endpoint == "sink" }
    }

    func testGoneDeadLettersTheCallAndDisablesTheEndpointUntilReEnabled() throws {
        sink.setScript { index, _ in index == 0 ? .status(410, body: "unsubscribed") : .status(200) }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url, maxConcurrency: 1)])
        try outbound.enqueue("evt-gone")
        try outbound.enqueue("evt-after")
        eventually("410 dead-lettered") { try outbound.deadLetter("evt-gone")?["reason"] == "gone" }
        eventually("endpoint disabled") { self.status(outbound)?.disabled == true }
        XCTAssertEqual(outbound.metrics.counter("gateway_outbound_endpoint_disabled_total", [("endpoint", "sink")]), 1)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(sink.received.count, 1, "a disabled endpoint must not be called")
        XCTAssertEqual(try outbound.outboxRow("evt-after")?["status"], "pending", "queued calls wait, not dropped")

        outbound.dispatcher.enable(endpoint: "sink")
        eventually("delivered after re-enabling") {
            try outbound.outboxRow("evt-after")?["status"] == "delivered"
        }
        eventually("status shows it enabled") { self.status(outbound)?.disabled == false }
    }

    func testGoneIsStoredWithItsDeadLetterSoARestartedDispatcherStartsDisabledUntilEnabled() throws {
        sink.setScript { index, _ in index == 0 ? .status(410) : .status(200) }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url, maxConcurrency: 1)])
        try outbound.enqueue("evt-gone")
        eventually("410 dead-lettered") { try outbound.deadLetter("evt-gone")?["reason"] == "gone" }
        let stored = try XCTUnwrap(try outbound.rows("SELECT * FROM outbound_disabled_endpoints").first)
        XCTAssertEqual(stored["endpoint"], "sink")
        XCTAssertEqual(stored["status"], "410")
        XCTAssertEqual(stored["idempotency_key"], "evt-gone")
        XCTAssertEqual(stored["disabled_at"], String(outbound.clock.now))

        try outbound.enqueue("evt-after")
        try outbound.restartDispatcher()
        XCTAssertEqual(status(outbound)?.disablement?.idempotencyKey, "evt-gone", "starts disabled")
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(sink.received.count, 1, "a disabled endpoint must not be called after a restart")
        XCTAssertEqual(try outbound.outboxRow("evt-after")?["status"], "pending")

        let enabled = LockedArray<String>()
        outbound.dispatcher.enable(endpoint: "sink") { result in
            if case .success = result { enabled.append("sink") }
        }
        eventually("enable committed") { enabled.values == ["sink"] }
        XCTAssertEqual(try outbound.rows("SELECT * FROM outbound_disabled_endpoints").count, 0)
        eventually("delivered after re-enabling") { try outbound.outboxRow("evt-after")?["status"] == "delivered" }
        eventually("status shows it enabled") { self.status(outbound)?.disabled == false }
    }

    func testBreakerOpensAfterConsecutiveFailuresProbesAloneAfterCoolDownAndCloses() throws {
        sink.setScript { _, _ in .status(500) }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url, maxConcurrency: 8)]) {
            $0.breakerFailureThreshold = 3
            $0.breakerCoolDownMilliseconds = 10_000
            $0.retryScheduleMilliseconds = [1_000]
        }
        try outbound.enqueue(all: (1...5).map { "evt-\($0)" })
        sink.waitForRequests(5)
        eventually("breaker open") { self.status(outbound)?.breaker == "open" }
        XCTAssertEqual(outbound.metrics.counter("gateway_outbound_breaker_opened_total", [("endpoint", "sink")]), 1)

        // Retries come due, but the breaker keeps the endpoint alone until the cool-down has passed.
        outbound.advance(seconds: 5)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(sink.received.count, 5, "an open breaker must not send")

        sink.setScript { _, _ in .delayed(0.2) }
        outbound.advance(seconds: 5)
        eventually("everything delivered once the probe succeeded") {
            try outbound.rows("SELECT count(*) AS n FROM outbox WHERE status = 'delivered'").first?["n"] == "5"
        }
        eventually("status shows the breaker closed") { self.status(outbound)?.breaker == "closed" }
        // After the cool-down a single probe goes first; the rest follow only once it has been answered.
        let afterOpen = Array(sink.received.dropFirst(5))
        XCTAssertEqual(afterOpen.count, 5)
        let probe = afterOpen[0].at
        XCTAssertTrue(afterOpen.dropFirst().allSatisfy { $0.at.timeIntervalSince(probe) >= 0.19 },
                      "requests started while the half-open probe was still in flight")
    }

    func testOrderingKeyDeliversOneAtATimeInEnqueueOrder() throws {
        // The first message of room-1 fails once; the others of the room wait for it, other keys do not.
        let failedOnce = LockedArray<String>()
        sink.setScript { _, request in
            guard request.webhookID == "room1-a", failedOnce.values.isEmpty else { return .status(200) }
            failedOnce.append("room1-a")
            return .status(503)
        }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url, maxConcurrency: 8)])
        for key in ["room1-a", "room1-b", "room1-c"] { try outbound.enqueue(key, orderingKey: "room-1") }
        try outbound.enqueue("room2-a", orderingKey: "room-2")
        try outbound.enqueue("loose")
        eventually("room-1 head failed, others delivered") {
            try outbound.outboxRow("room1-a")?["attempts"] == "1"
                && outbound.outboxRow("room2-a")?["status"] == "delivered"
                && outbound.outboxRow("loose")?["status"] == "delivered"
        }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertFalse(sink.received.contains { $0.webhookID == "room1-b" || $0.webhookID == "room1-c" },
                       "a later message of the key was sent before the earlier one was delivered")

        outbound.advance(seconds: 1)
        eventually("room-1 delivered") { try outbound.outboxRow("room1-c")?["status"] == "delivered" }
        let room1 = sink.received.compactMap(\.webhookID).filter { $0.hasPrefix("room1") }
        XCTAssertEqual(room1, ["room1-a", "room1-a", "room1-b", "room1-c"])
    }

    func testDeadLetteredHeadReleasesItsOrderingKey() throws {
        sink.setScript { _, request in request.webhookID == "k-a" ? .status(422) : .status(200) }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url)])
        for key in ["k-a", "k-b"] { try outbound.enqueue(key, orderingKey: "contact-9") }
        eventually("k-b delivered after k-a was dead-lettered") {
            try outbound.outboxRow("k-b")?["status"] == "delivered"
        }
        XCTAssertEqual(try outbound.deadLetter("k-a")?["reason"], "permanent")
        XCTAssertEqual(sink.received.compactMap(\.webhookID), ["k-a", "k-b"])
    }

    func testConcurrencyLimitCapsRequestsInFlight() throws {
        sink.setScript { _, _ in .delayed(0.2) }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url, maxConcurrency: 2)])
        for n in 0..<8 { try outbound.enqueue("evt-c\(n)") }
        eventually("all delivered") {
            try outbound.rows("SELECT count(*) AS n FROM outbox WHERE status = 'delivered'").first?["n"] == "8"
        }
        XCTAssertEqual(sink.maxConcurrent, 2)
    }

    func testRateLimitSpreadsRequestsOverTime() throws {
        // 10/s banks one token at most: with time standing still exactly one request goes out; each 100 ms of clock
        // time lets one more go.
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url, ratePerSecond: 10)])
        for n in 0..<4 { try outbound.enqueue("evt-r\(n)") }
        sink.waitForRequests(1)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(sink.received.count, 1)
        for expected in 2...4 {
            outbound.advance(seconds: 0.1)
            sink.waitForRequests(expected)
            Thread.sleep(forTimeInterval: 0.1)
            XCTAssertEqual(sink.received.count, expected)
        }
    }

    func testRowClaimedByADeadDispatcherIsSentAgainOnlyAfterItsLeaseExpires() throws {
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url)]) {
            $0.leaseMilliseconds = 30_000
        }
        let now = outbound.clock.now
        // What a dispatcher that died mid-request leaves behind: the row in flight under its lease.
        try outbound.store.writer.perform { connection in
            try Outbox.enqueue(OutboundMessage(endpoint: "sink", body: Array("{}".utf8), idempotencyKey: "evt-orphan"),
                               in: connection, now: now)
            try connection.run("""
                UPDATE outbox SET status = 'in_flight', lease_owner = 'dispatcher-dead', next_attempt_at = ?
                WHERE idempotency_key = 'evt-orphan'
                """, [.integer(now + 30_000)])
        }
        outbound.dispatcher.wake()
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertTrue(sink.received.isEmpty, "sent while another dispatcher's lease was still valid")
        outbound.advance(seconds: 30)
        XCTAssertEqual(sink.waitForRequests(1).first?.webhookID, "evt-orphan")
        eventually("delivered") { try outbound.outboxRow("evt-orphan")?["status"] == "delivered" }
    }

    func testStoppedDispatcherHandsBackItsClaimsAndAFreshOneResumesMidBackoff() throws {
        sink.setScript { index, _ in index == 0 ? .status(502) : .status(200) }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url)])
        try outbound.enqueue("evt-restart")
        eventually("in backoff") { try outbound.outboxRow("evt-restart")?["attempts"] == "1" }
        try outbound.restartDispatcher()
        outbound.advance(seconds: 1)
        eventually("delivered by the new dispatcher") {
            try outbound.outboxRow("evt-restart")?["status"] == "delivered"
        }
        XCTAssertEqual(sink.received.compactMap(\.webhookID), ["evt-restart", "evt-restart"])
    }
}
