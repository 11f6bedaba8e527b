import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Storage
import XCTest

/// The normalizer hands the items it has just recorded to the inbound applier, which applies them from the events it
/// decoded without a polling pass; an item reached twice (handed over again, or also listed by a pass) takes effect
/// once, and items no step takes stay pending for their own consumer.
final class InboundHandOverTests: XCTestCase {
    private var store: SQLiteGatewayStore!
    private var directory: URL!
    private let applied = LockedArray<String>()
    private var applier: InboundItemApplier!
    private var normalizer: InboxNormalizer!

    override func setUpWithError() throws {
        (store, directory) = try ScratchStore.open("hand-over")
        // The applier runs but polls only once a minute (its first pass, at start, finds nothing): whatever is
        // applied within the test was handed over. The normalizer is driven by hand.
        applier = InboundItemApplier(database: store.database, steps: [MessageRecorder(applied: applied)],
                                     metrics: MetricsRegistry(), clock: { 0 }, pollIntervalMilliseconds: 60_000,
                                     batchSize: 100)
        normalizer = InboxNormalizer(store: store, normalizers: [TwoItemNormalizer()], metrics: MetricsRegistry(),
                                     pollIntervalMilliseconds: 60_000, batchSize: 100, applier: applier)
    }

    override func tearDown() {
        ScratchStore.remove(store, directory)
    }

    func testRecordedMessagesAreAppliedWithoutAPollingPassAndOtherKindsWait() throws {
        applier.start()
        defer { applier.stop() }
        Thread.sleep(forTimeInterval: 0.2)  // its first pass, right at start, lists nothing
        eventually("the applier's first pass is over") { !applier.isApplying }
        try append("a")
        try append("b")
        XCTAssertEqual(normalizer.drainOnce(), 2)
        eventually("handed-over messages applied") { try status("message") == ["applied", "applied"] }
        eventually("the hand-over finished") { !applier.isApplying }
        XCTAssertEqual(applied.values, ["m-a", "m-b"], "in the order they were recorded")
        XCTAssertEqual(try status("status"), ["pending", "pending"], "a kind no step takes waits for its consumer")

        applier.stop()
        try append("c")
        XCTAssertEqual(normalizer.drainOnce(), 1)
        XCTAssertEqual(try status("message"), ["applied", "applied", "pending"], "a stopped applier is handed nothing")
    }

    func testAnItemReachedTwiceTakesEffectOnce() throws {
        try append("a")
        let normalizations = try store.pendingDeliveries(limit: 10).map { delivery in
            DeliveryNormalization(delivery: delivery, result: Result { try TwoItemNormalizer().normalize(delivery) })
        }
        let recorded = try store.recordNormalizations(normalizations).flatMap { $0.recorded }
        XCTAssertEqual(recorded.map(\.item.kind), ["message", "status"])
        XCTAssertEqual(applier.drainOnce(), 1, "a polling pass applies the message first")
        applier.applyRecorded(recorded)
        eventually("the hand-over finished") { !applier.isApplying }
        XCTAssertEqual(applied.values, ["m-a"])
        XCTAssertEqual(try status("message"), ["applied"])
    }

    private func append(_ key: String) throws {
        let done = expectation(description: "appended")
        store.appendDelivery(NewDelivery(
            publicID: "in_" + key, source: .whatsapp, dedupeKey: "whatsapp:" + key, receivedAtMillis: 1_000,
            requestID: nil, traceparent: nil, body: Array(key.utf8), responseStatus: 200, responseBody: [])
        ) { _ in done.fulfill() }
        wait(for: [done], timeout: 10)
    }

    private func status(_ kind: String) throws -> [String] {
        try store.read { connection in
            try connection.query("SELECT status FROM inbox_items WHERE kind = ? ORDER BY id", [.text(kind)])
                .compactMap { $0.string("status") }
        }
    }
}

/// Finds a message and a delivery status in each delivery, whose body is a key.
private struct TwoItemNormalizer: DeliveryNormalizer {
    var source: InboxSource { .whatsapp }

    func normalize(_ delivery: StoredDelivery) throws -> NormalizationResult {
        let key = String(decoding: delivery.body, as: UTF8.self)
        let message = InboundEvent.message(InboundMessage(id: "m-" + key, channelID: "p", accountID: nil,
                                                          senderPhone: "60123", timestamp: 1, type: .text, text: key))
        let status = InboundEvent.status(InboundStatus(messageID: "out-" + key, channelID: "p", accountID: nil,
                                                       state: .delivered, timestamp: 2, recipientPhone: "60123"))
        return NormalizationResult(items: [
            NormalizedItem(kind: "message", dedupeKey: "msg:" + key, occurredAt: 1, payload: message.toJSON()),
            NormalizedItem(kind: "status", dedupeKey: "status:" + key, occurredAt: 2, payload: status.toJSON()),
        ])
    }
}

/// Notes the id of every message it sees and consumes it.
private struct MessageRecorder: InboundItemStep {
    let applied: LockedArray<String>
    var phase: InboundPhase { .file }
    var kinds: Set<String> { ["message"] }

    func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        if case .message(let message) = item.event { applied.append(message.id) }
        return .consumed
    }
}
