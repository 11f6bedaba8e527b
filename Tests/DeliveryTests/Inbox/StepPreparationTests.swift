import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Storage
import XCTest

/// What a step prepares for an item (``InboundItemStep/prepare(_:occurredAt:)``) is worked out before the item's writer
/// operation is queued, on the thread that hands it over, and the step finds it in ``InboundItem/prepared``; an item a
/// polling pass reads back has nothing prepared, and the step works the same out itself.
final class StepPreparationTests: XCTestCase {
    private var store: SQLiteGatewayStore!
    private var directory: URL!
    private let step = PreparingStep()
    private var applier: InboundItemApplier!
    private var normalizer: InboxNormalizer!

    override func setUpWithError() throws {
        (store, directory) = try ScratchStore.open("step-preparation")
        // The applier's own polling pass runs once a minute (its first, at start, finds nothing).
        applier = InboundItemApplier(database: store.database, steps: [step], metrics: MetricsRegistry(),
                                     clock: { 0 }, pollIntervalMilliseconds: 60_000, batchSize: 100)
        normalizer = InboxNormalizer(store: store, normalizers: [MessageAndStatusNormalizer()],
                                     metrics: MetricsRegistry(), pollIntervalMilliseconds: 20, batchSize: 100,
                                     applier: applier)
    }

    override func tearDown() {
        normalizer.stop()
        applier.stop()
        ScratchStore.remove(store, directory)
    }

    func testItemsAppliedAsTheyAreRecordedArePreparedOffTheWriter() throws {
        try startApplier()
        XCTAssertTrue(applier.appliesWhileRecording)
        normalizer.start()
        for key in ["a", "b"] {
            appendKeyedDelivery(key, to: store)
            normalizer.wake()
        }
        eventually("both deliveries recorded") {
            try column("SELECT value FROM gateway_meta WHERE key = 'inbox_log_cursor'") == ["2"]
                && !normalizer.isRecording
        }
        XCTAssertEqual(step.seen.values, [.init(id: "m-a", reading: "A", prepared: true),
                                          .init(id: "m-b", reading: "B", prepared: true)])
        XCTAssertEqual(step.prepared.values, ["m-a", "m-b"], "prepared once each, messages only")
        XCTAssertTrue(Set(step.preparingThreads.values).isDisjoint(with: step.applyingThreads.values),
                      "prepared on another thread than the writer's")
        XCTAssertEqual(try column("SELECT status FROM inbox_items WHERE kind = 'message' ORDER BY id"),
                       ["applied", "applied"])
    }

    func testHandedOverItemsArePrepared() throws {
        try startApplier()
        appendKeyedDelivery("a", to: store)
        XCTAssertEqual(normalizer.drainOnce(), 1)
        eventually("the hand-over finished") { try status() == ["applied"] && !applier.isApplying }
        XCTAssertEqual(step.seen.values, [.init(id: "m-a", reading: "A", prepared: true)])
    }

    func testAnItemReadBackByAPollingPassIsUnpreparedAndAppliedTheSame() throws {
        // The applier is not running: the normalizer records the message pending and hands nothing over.
        for key in ["a", "b"] { appendKeyedDelivery(key, to: store) }
        XCTAssertEqual(normalizer.drainOnce(), 2)
        XCTAssertEqual(try status(), ["pending", "pending"])
        XCTAssertEqual(applier.drainOnce(), 2)
        XCTAssertEqual(step.seen.values, [.init(id: "m-a", reading: "A", prepared: false),
                                          .init(id: "m-b", reading: "B", prepared: false)])
        XCTAssertEqual(step.prepared.values, [])
        XCTAssertEqual(try status(), ["applied", "applied"])
    }

    private func startApplier() throws { startApplier(applier) }

    private func status() throws -> [String] {
        try column("SELECT status FROM inbox_items WHERE kind = 'message' ORDER BY id")
    }

    private func column(_ sql: String) throws -> [String] { try column(sql, in: store) }
}

/// Reads a message's text upper-cased: prepared when it can be, else worked out while applying. Notes what it saw and
/// the threads it prepared and applied on.
private final class PreparingStep: InboundItemStep, @unchecked Sendable {
    struct Seen: Equatable {
        let id: String
        let reading: String
        let prepared: Bool
    }

    /// What ``prepare(_:occurredAt:)`` hands the step.
    struct Reading: Sendable {
        let text: String
    }

    let seen = LockedArray<Seen>()
    let prepared = LockedArray<String>()
    let preparingThreads = LockedArray<UInt>()
    let applyingThreads = LockedArray<UInt>()
    var phase: InboundPhase { .file }
    var kinds: Set<String> { ["message"] }

    func prepare(_ event: InboundEvent, occurredAt: Int64?) -> (any Sendable)? {
        guard case .message(let message) = event else { return nil }
        prepared.append(message.id)
        preparingThreads.append(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))))
        return Reading(text: Self.read(message))
    }

    func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message(let message) = item.event else { return .next }
        applyingThreads.append(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))))
        let reading = item.prepared(as: Reading.self)
        seen.append(Seen(id: message.id, reading: reading?.text ?? Self.read(message), prepared: reading != nil))
        item.applied = true
        return .next
    }

    private static func read(_ message: InboundMessage) -> String { (message.text ?? "").uppercased() }
}
