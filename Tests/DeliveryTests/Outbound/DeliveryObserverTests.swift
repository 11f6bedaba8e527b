import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import Storage
import XCTest

/// The dispatcher tells an endpoint's observer every outcome inside the transaction that records it; an observer
/// that throws loses only its own changes.
final class DeliveryObserverTests: XCTestCase {
    /// Writes each outcome into a table of its own (so the test sees what committed), or throws when told to.
    private struct Recorder: OutboundDeliveryObserver {
        let failing: Bool
        func record(_ outcome: OutboundDeliveryOutcome, in connection: any DatabaseConnection) throws {
            try connection.run("CREATE TABLE IF NOT EXISTS seen (key TEXT, result TEXT, status INTEGER, body TEXT, error TEXT)")
            try connection.run("INSERT INTO seen VALUES (?, ?, ?, ?, ?)",
                               [.text(outcome.idempotencyKey), .text(outcome.result.rawValue), SQLValue(outcome.status),
                                .text(String(decoding: outcome.responseBody, as: UTF8.self)), SQLValue(outcome.error)])
            if failing { throw OutboxError.invalidMessage(field: "test", reason: "observer failure") }
        }
    }

    func testObserverSeesDeliveredRetriedAndDeadLetteredOutcomesWithTheBody() throws {
        let sink = try StubSink { index, request in
            request.webhookID == "gone" ? .status(400, body: "no") : index == 0 ? .status(503) : .status(200, body: "ok-body")
        }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url)],
                                           observers: ["sink": Recorder(failing: false)])
        try outbound.enqueue("evt")
        eventually("retried") { try outbound.outboxRow("evt")?["attempts"] == "1" }
        outbound.advance(seconds: 1)
        eventually("delivered") { try outbound.outboxRow("evt")?["status"] == "delivered" }
        try outbound.enqueue("gone")
        eventually("dead-lettered") { try outbound.deadLetter("gone") != nil }
        let seen = try outbound.rows("SELECT key, result, status, body FROM seen ORDER BY rowid")
        XCTAssertEqual(seen.map { [$0["key"], $0["result"], $0["status"]] },
                       [["evt", "retrying", "503"], ["evt", "delivered", "200"], ["gone", "dead_lettered", "400"]])
        XCTAssertEqual(seen[1]["body"], "ok-body")
    }

    func testObserverIsToldOfRowsParkedWithoutAURL() throws {
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: nil)],
                                           observers: ["sink": Recorder(failing: false)])
        try outbound.enqueue("parked")
        eventually("parked") { try outbound.deadLetter("parked") != nil }
        let seen = try XCTUnwrap(outbound.rows("SELECT * FROM seen").first)
        XCTAssertEqual(seen["result"], "dead_lettered")
        XCTAssertEqual(seen["error"], "no URL is configured")
    }

    func testAFailingObserverDoesNotStopDelivery() throws {
        let sink = try StubSink()
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url)],
                                           observers: ["sink": Recorder(failing: true)])
        try outbound.enqueue("evt")
        eventually("delivered") { try outbound.outboxRow("evt")?["status"] == "delivered" }
        eventually("counted") {
            outbound.metrics.counter("gateway_outbound_observer_errors_total", [("endpoint", "sink")]) == 1
        }
        // The observer's own writes (its table included) were rolled back with its savepoint.
        XCTAssertEqual(try outbound.rows("SELECT count(*) AS n FROM sqlite_master WHERE name = 'seen'").first?["n"], "0")
        XCTAssertEqual(sink.received.count, 1)
    }
}
