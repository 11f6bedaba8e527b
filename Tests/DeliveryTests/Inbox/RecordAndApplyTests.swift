import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import Storage
import XCTest

/// On the embedded engine the running normalizer records logged deliveries and applies the items the inbound steps
/// take in the writer operations that also move the log cursor past them: the items are never pending, a step's error
/// fails its item alone, a delivery that cannot be recorded is recorded as failed alone, and when one delivery does
/// not commit, none after it does either — they are tried again, so nothing is skipped.
final class RecordAndApplyTests: RecordingTestCase {
    private var step: FlakyMessageStep!

    override func setUpWithError() throws {
        step = FlakyMessageStep()
        scratch = try RecordingScratch("record-and-apply", step: step, schema: [
            "CREATE TABLE applied_messages (id INTEGER PRIMARY KEY, message TEXT NOT NULL)",
            // Notes every message item ever inserted as pending.
            "CREATE TABLE pending_messages_seen (dedupe_key TEXT)",
            """
            CREATE TRIGGER note_pending_message AFTER INSERT ON inbox_items
            WHEN NEW.kind = 'message' AND NEW.status = 'pending'
            BEGIN INSERT INTO pending_messages_seen VALUES (NEW.dedupe_key); END
            """,
        ], in: self)
    }

    func testItemsAreAppliedAsTheyAreRecordedNeverPendingAndOtherKindsWait() throws {
        try start()
        for key in ["a", "b", "c"] { try append(key) }
        try waitUntilRecorded()
        XCTAssertEqual(try applied(), ["m-a", "m-b", "m-c"], "in the order they were logged")
        XCTAssertEqual(try column("SELECT status FROM inbox_items WHERE kind = 'message' ORDER BY id"),
                       ["applied", "applied", "applied"])
        XCTAssertEqual(try column("SELECT dedupe_key FROM pending_messages_seen"), [], "no message was ever pending")
        XCTAssertEqual(try column("SELECT status FROM inbox_items WHERE kind = 'status' ORDER BY id"),
                       ["pending", "pending", "pending"], "a kind no step takes waits for its consumer")
        XCTAssertEqual(try column("SELECT status FROM inbox ORDER BY id"), ["processed", "processed", "processed"])
    }

    func testAStepErrorFailsItsItemAloneAndTheCursorMovesOn() throws {
        step.refused.append("m-b")
        try start()
        for key in ["a", "b", "c"] { try append(key) }
        try waitUntilRecorded()
        XCTAssertEqual(try applied(), ["m-a", "m-c"])
        XCTAssertEqual(try column("SELECT status FROM inbox_items WHERE kind = 'message' ORDER BY id"),
                       ["applied", "failed", "applied"])
        XCTAssertEqual(try column("SELECT error FROM inbox_items WHERE status = 'failed'"), ["refused m-b"])
    }

    func testAnOperationThatDoesNotCommitHoldsBackTheOnesAfterItUntilItDoes() throws {
        // The storage refuses b once: b is tried again with c behind it, and both take effect once — had c committed
        // the first time, the cursor would have passed b and b would never be applied.
        step.flaky.append("m-b")
        try start()
        for key in ["a", "b", "c"] { try append(key) }
        try waitUntilRecorded()
        XCTAssertEqual(try applied(), ["m-a", "m-b", "m-c"], "each once, in order")
        XCTAssertEqual(try column("SELECT dedupe_key FROM inbox_items WHERE kind = 'message' AND status = 'applied' "
                                  + "ORDER BY id"), ["msg:a", "msg:b", "msg:c"], "each once")
    }

    func testADeliveryThatCannotBeRecordedIsRecordedFailedAloneAndTheRestAreApplied() throws {
        try store.database.write { connection in
            try connection.run("""
                CREATE TRIGGER refuse_b BEFORE INSERT ON inbox
                WHEN NEW.public_id = 'in_b' AND NEW.status = 'processed'
                BEGIN SELECT RAISE(ABORT, 'b cannot be recorded'); END
                """)
        }
        try start()
        for key in ["a", "b", "c"] { try append(key) }
        try waitUntilRecorded()
        XCTAssertEqual(try applied(), ["m-a", "m-c"])
        XCTAssertEqual(try column("SELECT status FROM inbox ORDER BY id"), ["processed", "failed", "processed"])
        let reason = try XCTUnwrap(try column("SELECT last_error FROM inbox WHERE public_id = 'in_b'").first)
        XCTAssertTrue(reason.hasPrefix("could not record:") && reason.contains("b cannot be recorded"), reason)
    }

    private func start() throws {
        startApplier(applier)
        XCTAssertTrue(applier.appliesWhileRecording)
        normalizer.start()
    }

    private func append(_ key: String) throws {
        appendKeyedDelivery(key, to: store)
        normalizer.wake()
    }

    private func waitUntilRecorded() throws { waitUntilRecorded(3, by: normalizer, in: store) }

    /// The messages the step applied, in order: its changes that took effect (a run undone and made again leaves
    /// its changes once).
    private func applied() throws -> [String] { try column("SELECT message FROM applied_messages ORDER BY id") }

    private func column(_ sql: String) throws -> [String] { try column(sql, in: store) }
}

/// Writes a row naming every message it applies; refuses the ids in `refused` (a domain error, every time) and fails
/// the ids in `flaky` once with a storage error (the item stays pending, its operation undone).
private final class FlakyMessageStep: InboundItemStep, @unchecked Sendable {
    let refused = LockedArray<String>()
    let flaky = LockedArray<String>()
    private let failedOnce = LockedArray<String>()
    var phase: InboundPhase { .file }
    var kinds: Set<String> { ["message"] }

    func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message(let message) = item.event else { return .next }
        if refused.values.contains(message.id) { throw Refused(description: "refused \(message.id)") }
        if flaky.values.contains(message.id), !failedOnce.values.contains(message.id) {
            failedOnce.append(message.id)
            throw DiskHiccup()
        }
        try connection.run("INSERT INTO applied_messages (message) VALUES (?)", [.text(message.id)])
        return .consumed
    }
}

private struct Refused: Error, CustomStringConvertible {
    let description: String
}

/// A storage error that may go away: the write is tried again later.
private struct DiskHiccup: DatabaseError {
    var isConstraintViolation: Bool { false }
    var isBusy: Bool { true }
    var isStorageFailure: Bool { false }
    var description: String { "the disk hiccupped" }
}
