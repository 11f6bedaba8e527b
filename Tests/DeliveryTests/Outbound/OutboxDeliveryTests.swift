import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPServer
import HTTPTesting
import XCTest

/// The dispatcher against a local stub target: what a delivery carries, and what each kind of answer leads to.
final class OutboxDeliveryTests: XCTestCase {
    private var sink: StubSink!

    override func setUpWithError() throws { sink = try StubSink() }
    override func tearDown() { sink = nil }

    private func harness(configure: (inout OutboundSettings) -> Void = { _ in },
                         totalTimeoutMilliseconds: Int = 2_000) throws -> OutboundHarness {
        try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url + "/hooks",
                                                                 totalTimeoutMilliseconds: totalTimeoutMilliseconds)],
                            configure: configure)
    }

    func testDeliveryIsSignedCarriesTraceparentAndIsMarkedDelivered() throws {
        let outbound = try harness()
        let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        try outbound.enqueue("evt-1", traceparent: traceparent)
        let request = try XCTUnwrap(sink.waitForRequests(1).first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/hooks/events")
        XCTAssertEqual(request.webhookID, "evt-1")
        XCTAssertEqual(request.headers["traceparent"], traceparent)
        XCTAssertEqual(request.headers["Content-Type"], "application/json")
        XCTAssertEqual(request.text, #"{"event":"evt-1"}"#)
        let timestamp = try XCTUnwrap(request.headers["webhook-timestamp"])
        XCTAssertEqual(Int64(timestamp), outbound.clock.now / 1000)
        // A receiver holding the endpoint's secret verifies the request as Standard Webhooks.
        XCTAssertNoThrow(try StandardWebhookVerifier(secrets: [OutboundHarness.secret]).verify(
            id: request.webhookID, timestamp: timestamp, signature: request.headers["webhook-signature"],
            body: request.body, now: outbound.clock.now / 1000))
        eventually("row marked delivered") { try outbound.outboxRow("evt-1")?["status"] == "delivered" }
        let row = try XCTUnwrap(outbound.outboxRow("evt-1"))
        XCTAssertEqual(row["attempts"], "1")
        XCTAssertEqual(row["last_status"], "200")
        XCTAssertEqual(outbound.metrics.counter("gateway_outbound_deliveries_total",
                                                [("endpoint", "sink"), ("outcome", "delivered")]), 1)
    }

    func testServerErrorIsRetriedWithTheSameWebhookIDAndThenDelivered() throws {
        sink.setScript { index, _ in index == 0 ? .status(500, body: "try later") : .status(200) }
        let outbound = try harness()
        let enqueuedAt = outbound.clock.now
        try outbound.enqueue("evt-500")
        sink.waitForRequests(1)
        eventually("retry scheduled") { try outbound.outboxRow("evt-500")?["status"] == "pending" }
        let pending = try XCTUnwrap(outbound.outboxRow("evt-500"))
        XCTAssertEqual(pending["attempts"], "1")
        XCTAssertEqual(pending["last_status"], "500")
        // The harness pins the jitter to the top of the first step (1 s).
        XCTAssertEqual(pending["next_attempt_at"], String(enqueuedAt + 1_000))
        XCTAssertTrue(pending["history"]?.contains(#""error_class":"http_5xx""#) ?? false, pending["history"] ?? "")

        outbound.advance(seconds: 1)
        let requests = sink.waitForRequests(2)
        XCTAssertEqual(requests.map(\.webhookID), ["evt-500", "evt-500"])
        eventually("delivered on retry") { try outbound.outboxRow("evt-500")?["status"] == "delivered" }
        XCTAssertEqual(try outbound.outboxRow("evt-500")?["attempts"], "2")
    }

    func testClientErrorIsDeadLetteredAtOnceWithTheReason() throws {
        sink.setScript { _, _ in .status(400, body: #"{"error":"field template is unknown"}"#) }
        let outbound = try harness()
        try outbound.enqueue("evt-400")
        eventually("dead-lettered") { try outbound.deadLetter("evt-400") != nil }
        let letter = try XCTUnwrap(outbound.deadLetter("evt-400"))
        XCTAssertEqual(letter["reason"], "permanent")
        XCTAssertEqual(letter["error_class"], "http_4xx")
        XCTAssertEqual(letter["last_status"], "400")
        XCTAssertEqual(letter["response_snippet"], #"{"error":"field template is unknown"}"#)
        XCTAssertEqual(letter["attempts"], "1")
        XCTAssertEqual(letter["body"], #"{"event":"evt-400"}"#)
        XCTAssertNil(try outbound.outboxRow("evt-400"))
        XCTAssertEqual(sink.received.count, 1)
    }

    func testHangingTargetTimesOutAndIsRetried() throws {
        sink.setScript { index, _ in index == 0 ? .delayed(3) : .status(200) }
        let outbound = try harness(totalTimeoutMilliseconds: 300)
        try outbound.enqueue("evt-hang")
        eventually("timeout recorded") { try outbound.outboxRow("evt-hang")?["attempts"] == "1" }
        let row = try XCTUnwrap(outbound.outboxRow("evt-hang"))
        XCTAssertEqual(row["status"], "pending")
        XCTAssertTrue(row["history"]?.contains(#""error_class":"timeout""#) ?? false, row["history"] ?? "")
        outbound.advance(seconds: 1)
        eventually("delivered after the timeout") {
            try outbound.outboxRow("evt-hang")?["status"] == "delivered"
        }
    }

    func testRefusedConnectionIsRetriedUntilTheTargetListens() throws {
        let port = StubSink.unusedPort()
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: "http://127.0.0.1:\(port)")])
        try outbound.enqueue("evt-refused")
        eventually("connect error recorded") { try outbound.outboxRow("evt-refused")?["attempts"] == "1" }
        let row = try XCTUnwrap(outbound.outboxRow("evt-refused"))
        XCTAssertEqual(row["status"], "pending")
        XCTAssertTrue(row["history"]?.contains(#""error_class":"connect""#) ?? false, row["history"] ?? "")

        let late = try StubSink(port: port)
        outbound.advance(seconds: 1)
        XCTAssertEqual(late.waitForRequests(1).first?.webhookID, "evt-refused")
        eventually("delivered") { try outbound.outboxRow("evt-refused")?["status"] == "delivered" }
    }

    func testTooManyRequestsWaitsAtLeastTheRetryAfter() throws {
        sink.setScript { index, _ in index == 0 ? .status(429, headers: [("Retry-After", "2")]) : .status(200) }
        // The schedule alone would retry after at most 100 ms: Retry-After must win.
        let outbound = try harness { $0.retryScheduleMilliseconds = [100] }
        let start = outbound.clock.now
        try outbound.enqueue("evt-429")
        eventually("429 recorded") { try outbound.outboxRow("evt-429")?["attempts"] == "1" }
        XCTAssertEqual(try outbound.outboxRow("evt-429")?["next_attempt_at"], String(start + 2_000))

        outbound.advance(seconds: 1.9)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(sink.received.count, 1, "retried before Retry-After passed")
        outbound.advance(seconds: 0.1)
        sink.waitForRequests(2)
        eventually("delivered") { try outbound.outboxRow("evt-429")?["status"] == "delivered" }
    }

    func testRetriesRunOutIntoTheDeadLetterTableWithTheirHistory() throws {
        sink.setScript { _, _ in .status(503, body: "down") }
        let outbound = try harness { $0.maxAttempts = 3 }
        try outbound.enqueue("evt-exhausted")
        for attempt in 1...2 {
            eventually("attempt \(attempt)") { try outbound.outboxRow("evt-exhausted")?["attempts"] == String(attempt) }
            outbound.advance(seconds: 5)
        }
        eventually("exhausted") { try outbound.deadLetter("evt-exhausted") != nil }
        let letter = try XCTUnwrap(outbound.deadLetter("evt-exhausted"))
        XCTAssertEqual(letter["reason"], "exhausted")
        XCTAssertEqual(letter["attempts"], "3")
        XCTAssertEqual(letter["last_status"], "503")
        let history = try XCTUnwrap(JSONParser.parse(Array((letter["history"] ?? "").utf8)).arrayValue)
        XCTAssertEqual(history.count, 3)
        XCTAssertEqual(history.compactMap { $0["status"]?.int64Value }, [503, 503, 503])
        XCTAssertEqual(sink.received.count, 3)
    }

    func testEndpointsWithoutURLAndUnknownEndpointsAreParkedNotDropped() throws {
        let outbound = try OutboundHarness(endpoints: [
            OutboundEndpoint(name: "omnichannel", url: nil, missingURLReason: "omnichannel has no URL: set OMNICHANNEL_EVENTS_URL"),
        ])
        try outbound.enqueue("evt-no-url", endpoint: "omnichannel")
        try outbound.enqueue("evt-unknown", endpoint: "nobody")
        eventually("both parked") {
            try outbound.deadLetter("evt-no-url") != nil && outbound.deadLetter("evt-unknown") != nil
        }
        let parked = try XCTUnwrap(outbound.deadLetter("evt-no-url"))
        XCTAssertEqual(parked["reason"], "undeliverable")
        XCTAssertEqual(parked["attempts"], "0")
        XCTAssertEqual(parked["last_error"], "omnichannel has no URL: set OMNICHANNEL_EVENTS_URL")
        XCTAssertEqual(try outbound.deadLetter("evt-unknown")?["reason"], "undeliverable")
        XCTAssertEqual(try outbound.rows("SELECT count(*) AS n FROM outbox").first?["n"], "0")
    }
}
