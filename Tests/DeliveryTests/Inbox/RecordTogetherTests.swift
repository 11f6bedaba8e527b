@testable import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Storage
import XCTest

/// Recording applies a pass's deliveries together, runs of them in one writer operation, and a delivery's items
/// together, without a savepoint per delivery or item; when one item fails, everything its run did is undone, the
/// run's deliveries run again each in an operation of its own, and the failing delivery's items again each in a
/// savepoint of its own: the others take effect exactly once, the failed one is marked failed alone, and the
/// deliveries around it are untouched.
final class RecordTogetherTests: RecordingTestCase {
    private var step: WritingStep!

    override func setUpWithError() throws {
        step = WritingStep()
        scratch = try RecordingScratch("record-together", step: step, schema: [
            "CREATE TABLE step_writes (id INTEGER PRIMARY KEY, event TEXT NOT NULL)",
        ], in: self)
    }

    func testEveryItemOfADeliveryTakesEffectOnceWhenNoneFails() throws {
        try record(["a", "b"])
        XCTAssertEqual(try column("SELECT event FROM step_writes ORDER BY id"), ["m-a", "out-a", "m-b", "out-b"])
        XCTAssertEqual(try column("SELECT status FROM inbox_items ORDER BY id"), ["applied", "applied", "applied", "applied"])
        XCTAssertEqual(step.runs.values, ["m-a", "out-a", "m-b", "out-b"], "no item ran twice")
    }

    func testAFailedItemUndoesItsRunAndTheDeliveriesRunAgainAloneTheFailingOnesItemsEachInItsOwnSavepoint() throws {
        // b's status fails after a's items and b's message were applied in the same operation: their changes are
        // undone with it and made again once, the status alone is marked failed.
        step.refused.append("out-b")
        try record(["a", "b", "c"])
        XCTAssertEqual(try column("SELECT event FROM step_writes ORDER BY id"),
                       ["m-a", "out-a", "m-b", "m-c", "out-c"], "each change once; none of the failed item's")
        XCTAssertEqual(try column("SELECT dedupe_key || ' ' || status FROM inbox_items ORDER BY id"), [
            "msg:a applied", "status:a applied", "msg:b applied", "status:b failed", "msg:c applied", "status:c applied",
        ])
        XCTAssertEqual(try column("SELECT error FROM inbox_items WHERE status = 'failed'"), ["refused out-b"])
        XCTAssertEqual(try column("SELECT status FROM inbox ORDER BY id"), ["processed", "processed", "processed"])
        XCTAssertEqual(step.runs.values, [
            "m-a", "out-a", "m-b", "out-b",  // the pass's run, undone at b's status
            "m-a", "out-a",  // a alone
            "m-b", "out-b", "m-b", "out-b",  // b alone, its items together, then each in its own savepoint
            "m-c", "out-c",  // c alone
        ])
    }

    func testTheRunAfterAFailedOneRunsAgainAloneToo() throws {
        // a and b in one run, c and d in the next: b's failure undoes the first run; the second finds the cursor
        // still before a and runs again alone as well, after the first's deliveries.
        step.refused.append("m-b")
        try record(["a", "b", "c", "d"], runs: RecordingRuns(most: 2))
        XCTAssertEqual(try column("SELECT event FROM step_writes ORDER BY id"),
                       ["m-a", "out-a", "out-b", "m-c", "out-c", "m-d", "out-d"])
        XCTAssertEqual(try column("SELECT dedupe_key FROM inbox_items WHERE status = 'failed'"), ["msg:b"])
        XCTAssertEqual(try column("SELECT status FROM inbox ORDER BY id"), Array(repeating: "processed", count: 4))
    }

    func testAfterARunFailedThePassesRecordOneDeliveryPerOperation() throws {
        step.refused.append("m-b")
        try record(["a", "b", "c"])
        XCTAssertEqual(applier.recordingRuns.longest, 1)
        XCTAssertEqual(try column("SELECT dedupe_key FROM inbox_items WHERE status = 'failed'"), ["msg:b"])
    }

    func testAPassIsSplitIntoRunsOfAboutTheSameLength() {
        let runs = RecordingRuns(most: 4)
        XCTAssertEqual(runs.split(0), [])
        XCTAssertEqual(runs.split(1), [0..<1])
        XCTAssertEqual(runs.split(4), [0..<4])
        XCTAssertEqual(runs.split(6), [0..<3, 3..<6])
        XCTAssertEqual(runs.split(12).map(\.count), [4, 4, 4])
        XCTAssertEqual(RecordingRuns(most: 16).split(100).map(\.count), [14, 14, 14, 15, 14, 14, 15])
    }

    func testRunsShrinkToOneDeliveryWhenOneFailsAndGrowByOneWithEachThatCommits() {
        var runs = RecordingRuns(most: 3)
        XCTAssertEqual(runs.longest, 3)
        runs.failed()
        XCTAssertEqual(runs.split(3), [0..<1, 1..<2, 2..<3])
        runs.committed()
        XCTAssertEqual(runs.longest, 2)
        runs.committed()
        runs.committed()
        XCTAssertEqual(runs.longest, 3, "never longer than the most")
    }

    func testAnItemTheStepsIgnoreIsMarkedIgnoredTogetherWithTheOthers() throws {
        step.ignored.append("out-a")
        try record(["a"])
        XCTAssertEqual(try column("SELECT dedupe_key || ' ' || status FROM inbox_items ORDER BY id"),
                       ["msg:a applied", "status:a ignored"])
        XCTAssertEqual(try column("SELECT event FROM step_writes ORDER BY id"), ["m-a"])
    }

    /// Appends deliveries `keys`, then starts the normalizer, so that they are one pass, and waits until it recorded
    /// them all.
    private func record(_ keys: [String], runs: RecordingRuns? = nil) throws {
        for key in keys { appendKeyedDelivery(key, to: store) }
        if let runs { applier.recordingRuns = runs }
        startApplier(applier)
        XCTAssertTrue(applier.appliesWhileRecording)
        normalizer.start()
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
