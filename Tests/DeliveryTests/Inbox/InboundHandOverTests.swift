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
        normalizer = InboxNormalizer(store: store, normalizers: [MessageAndStatusNormalizer()], metrics: MetricsRegistry(),
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
            DeliveryNormalization(delivery: delivery, result: Result { try MessageAndStatusNormalizer().normalize(delivery) })
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
        appendKeyedDelivery(key, to: store)
    }

    private func status(_ kind: String) throws -> [String] {
        try store.read { connection in
            try connection.query("SELECT status FROM inbox_items WHERE kind = ? ORDER BY id", [.text(kind)])
                .compactMap { $0.string("status") }
        }
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
