import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import XCTest

/// The dispatcher's clock jumps (a VM pause, an NTP step, a test moving its clock) far past the lease of rows whose
/// requests are still running: this process must not claim and send them again, because each duplicate is a second
/// message on a customer's phone.
final class InFlightClockJumpTests: XCTestCase {
    private var sink: StubSink!

    override func setUpWithError() throws { sink = try StubSink(threads: 8) }
    override func tearDown() { sink = nil }

    /// Wakes the dispatcher over and over for `seconds`, so claims keep going to the writer while requests are in
    /// flight and while they finish (the moments a stale claim could pick a row up again).
    private func keepWaking(_ outbound: OutboundHarness, for seconds: TimeInterval) {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            outbound.dispatcher.wake()
            Thread.sleep(forTimeInterval: 0.002)
        }
    }

    func testRowInFlightIsSentOnceWhenTheClockJumpsPastItsLease() throws {
        sink.setScript { _, _ in .delayed(0.5) }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url)]) {
            $0.leaseMilliseconds = 10_000
        }
        try outbound.enqueue("evt-slow")
        sink.waitForRequests(1)
        outbound.advance(seconds: 3_600)
        keepWaking(outbound, for: 1.0)
        eventually("delivered") { try outbound.outboxRow("evt-slow")?["status"] == "delivered" }
        keepWaking(outbound, for: 0.2)
        XCTAssertEqual(sink.received.compactMap(\.webhookID), ["evt-slow"], "sent again after the clock jumped")
        XCTAssertEqual(try outbound.outboxRow("evt-slow")?["attempts"], "1")
        XCTAssertEqual(outbound.metrics.counter("gateway_outbound_deliveries_total",
                                                [("endpoint", "sink"), ("outcome", "delivered")]), 1)
    }

    func testManyRowsInFlightAreEachSentOnceWhenTheClockJumpsRepeatedly() throws {
        sink.setScript { index, _ in .delayed(0.05 + Double(index % 10) * 0.03) }
        let outbound = try OutboundHarness(endpoints: [OutboundHarness.endpoint(url: sink.url, maxConcurrency: 8)]) {
            $0.leaseMilliseconds = 10_000
        }
        let keys = (0..<40).map { "evt-jump-\($0)" }
        try outbound.enqueue(all: keys)
        let until = Date().addingTimeInterval(10)
        while Date() < until {
            let delivered = try outbound.rows("SELECT count(*) AS n FROM outbox WHERE status = 'delivered'")
            if delivered.first?["n"] == String(keys.count) { break }
            outbound.advance(seconds: 60)
            keepWaking(outbound, for: 0.02)
        }
        keepWaking(outbound, for: 0.2)
        let sent = sink.received.compactMap(\.webhookID)
        XCTAssertEqual(sent.count, keys.count, "duplicates: \(Dictionary(grouping: sent, by: { $0 }).filter { $1.count > 1 }.keys.sorted())")
        XCTAssertEqual(Set(sent), Set(keys))
        XCTAssertEqual(try outbound.rows("SELECT count(*) AS n FROM outbox WHERE status = 'delivered' AND attempts = 1"),
                       [["n": String(keys.count)]])
    }
}
