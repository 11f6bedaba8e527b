import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Storage
import XCTest

/// What a normalizer pass counts in `gateway_inbox_items_total`: every item of the pass by source and outcome — stored,
/// duplicate (an item key recorded before) and failed (a delivery no normalizer takes) — summed over the pass.
final class NormalizerCountsTests: XCTestCase {
    private var store: SQLiteGatewayStore!
    private var directory: URL!

    override func setUpWithError() throws {
        (store, directory) = try ScratchStore.open("normalizer-counts")
    }

    override func tearDown() {
        ScratchStore.remove(store, directory)
    }

    func testAPassCountsEveryItemBySourceAndOutcome() throws {
        let metrics = MetricsRegistry()
        let normalizer = InboxNormalizer(store: store, normalizers: [MessageAndStatusNormalizer()], metrics: metrics,
                                         pollIntervalMilliseconds: 60_000, batchSize: 100)
        for key in ["a", "b", "c"] { appendKeyedDelivery(key, to: store) }
        // Another delivery of the same message and status as "a" (its own dedupe key, the same items), and one from a
        // source nothing normalizes.
        append(NewDelivery(publicID: "in_again", source: .whatsapp, dedupeKey: "whatsapp:again", receivedAtMillis: 1_000,
                           requestID: nil, traceparent: nil, body: Array("a".utf8), responseStatus: 200,
                           responseBody: []))
        append(NewDelivery(publicID: "in_bot", source: .chatbot, dedupeKey: "chatbot:1", receivedAtMillis: 1_000,
                           requestID: nil, traceparent: nil, body: Array("{}".utf8), responseStatus: 200,
                           responseBody: []))

        XCTAssertEqual(normalizer.drainOnce(), 5, "one pass")

        func count(_ source: String, _ outcome: String) -> Double {
            metrics.counter("gateway_inbox_items_total", [("source", source), ("outcome", outcome)])
        }
        XCTAssertEqual(count("whatsapp", "stored"), 6, "a message and a status from each of three deliveries")
        XCTAssertEqual(count("whatsapp", "duplicate"), 2, "the fourth delivery's items were recorded before")
        XCTAssertEqual(count("whatsapp", "failed"), 0)
        XCTAssertEqual(count("chatbot", "failed"), 1, "no normalizer for the source")
        XCTAssertEqual(count("chatbot", "stored"), 0)

        appendKeyedDelivery("d", to: store)
        XCTAssertEqual(normalizer.drainOnce(), 1)
        XCTAssertEqual(count("whatsapp", "stored"), 8, "the next pass adds to the counts")
    }

    private func append(_ delivery: NewDelivery) {
        let done = expectation(description: "appended")
        store.appendDelivery(delivery) { _ in done.fulfill() }
        wait(for: [done], timeout: 10)
    }
}
