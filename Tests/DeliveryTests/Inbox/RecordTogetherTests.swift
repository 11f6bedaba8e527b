import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Storage
import XCTest

/// Recording applies a delivery's items together, without a savepoint per item; when one of them fails, everything the
/// delivery's operation did is undone and its items run again, each in a savepoint of its own: the others take effect
/// exactly once, the failed one is marked failed alone, and the deliveries around it are untouched.
final class RecordTogetherTests: XCTestCase {
    private var store: SQLiteGatewayStore!
    private var directory: URL!
    private var step: WritingStep!
    private var applier: InboundItemApplier!
    private var normalizer: InboxNormalizer!

    override func setUpWithError() throws {
        (store, directory) = try ScratchStore.open("record-together")
        step = WritingStep()
        (applier, normalizer) = recordingPipeline(store, step: step)
        try store.database.write { connection in
            try connection.run("CREATE TABLE step_writes (id INTEGER PRIMARY KEY, event TEXT NOT NULL)")
        }
    }

    override func tearDown() {
        normalizer.stop()
        applier.stop()
        ScratchStore.remove(store, directory)
    }

    func testEveryItemOfADeliveryTakesEffectOnceWhenNoneFails() throws {
        try record(["a", "b"])
        XCTAssertEqual(try column("SELECT event FROM step_writes ORDER BY id"), ["m-a", "out-a", "m-b", "out-b"])
        XCTAssertEqual(try column("SELECT status FROM inbox_items ORDER BY id"), ["applied", "applied", "applied", "applied"])
        XCTAssertEqual(step.runs.values, ["m-a", "out-a", "m-b", "out-b"], "no item ran twice")
    }

    func testAFailedItemUndoesTheOthersRunTogetherAndTheyRunAgainEachInItsOwnSavepoint() throws {
        // b's status fails after b's message was applied in the same operation: the message's change is undone with
        // it and made again once, the status alone is marked failed.
        step.refused.append("out-b")
        try record(["a", "b", "c"])
        XCTAssertEqual(try column("SELECT event FROM step_writes ORDER BY id"),
                       ["m-a", "out-a", "m-b", "m-c", "out-c"], "each change once; none of the failed item's")
        XCTAssertEqual(try column("SELECT dedupe_key || ' ' || status FROM inbox_items ORDER BY id"), [
            "msg:a applied", "status:a applied", "msg:b applied", "status:b failed", "msg:c applied", "status:c applied",
        ])
        XCTAssertEqual(try column("SELECT error FROM inbox_items WHERE status = 'failed'"), ["refused out-b"])
        XCTAssertEqual(try column("SELECT status FROM inbox ORDER BY id"), ["processed", "processed", "processed"])
        XCTAssertEqual(step.runs.values, ["m-a", "out-a", "m-b", "out-b", "m-b", "out-b", "m-c", "out-c"],
                       "b's items ran together, then again each in its own savepoint")
    }

    func testAnItemTheStepsIgnoreIsMarkedIgnoredTogetherWithTheOthers() throws {
        step.ignored.append("out-a")
        try record(["a"])
        XCTAssertEqual(try column("SELECT dedupe_key || ' ' || status FROM inbox_items ORDER BY id"),
                       ["msg:a applied", "status:a ignored"])
        XCTAssertEqual(try column("SELECT event FROM step_writes ORDER BY id"), ["m-a"])
    }

    /// Appends deliveries `keys` and waits until the normalizer recorded them all.
    private func record(_ keys: [String]) throws {
        startApplier(applier)
        XCTAssertTrue(applier.appliesWhileRecording)
        normalizer.start()
        for key in keys {
            appendKeyedDelivery(key, to: store)
            normalizer.wake()
        }
        waitUntilRecorded(keys.count, by: normalizer, in: store)
    }

    private func column(_ sql: String) throws -> [String] { try column(sql, in: store) }
}

/// Takes messages and statuses: writes a row naming each one it applies and notes every run; refuses the ids in
/// `refused` after writing its row (so an undone change is seen), ignores those in `ignored`.
private final class WritingStep: InboundItemStep, @unchecked Sendable {
    let runs = LockedArray<String>()
    let refused = LockedArray<String>()
    let ignored = LockedArray<String>()
    var phase: InboundPhase { .file }
    var kinds: Set<String> { ["message", "status"] }

    func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        let id: String
        switch item.event {
        case .message(let message): id = message.id
        case .status(let status): id = status.messageID
        default: return .next
        }
        runs.append(id)
        if ignored.values.contains(id) { return .next }
        try connection.run("INSERT INTO step_writes (event) VALUES (?)", [.text(id)])
        if refused.values.contains(id) { throw Refused(description: "refused \(id)") }
        return .consumed
    }
}

private struct Refused: Error, CustomStringConvertible {
    let description: String
}
