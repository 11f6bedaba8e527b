import Foundation
import Storage
import XCTest

/// `afterCommit`: wake-ups that run once per transaction, only after it committed.
final class StorageCommitActionTests: StorageTestCase {
    private struct Abort: Error {}

    /// Counts action runs per key, from any thread.
    private final class Runs: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func add(_ key: String) { lock.lock(); counts[key, default: 0] += 1; lock.unlock() }
        func count(_ key: String) -> Int { lock.lock(); defer { lock.unlock() }; return counts[key] ?? 0 }
    }

    func testActionRunsOncePerKeyAfterTheTransactionCommitted() throws {
        let connection = try openConnectionWithTable()
        let runs = Runs()
        let path = databasePath()
        try connection.transaction {
            for value in ["a", "b", "c"] {
                try connection.run("INSERT INTO t (value) VALUES (?)", [.text(value)])
                connection.afterCommit("wake") {
                    // Runs after COMMIT: another connection already sees all three rows.
                    let reader = try? SQLiteConnection(path: path, readOnly: true)
                    if (try? reader?.queryOne("SELECT count(*) AS n FROM t")?.int("n")) == 3 { runs.add("wake") }
                }
            }
            connection.afterCommit("other") { runs.add("other") }
            XCTAssertEqual(runs.count("wake"), 0, "nothing runs inside the transaction")
        }
        XCTAssertEqual(runs.count("wake"), 1)
        XCTAssertEqual(runs.count("other"), 1)
    }

    func testRolledBackTransactionDropsItsActions() throws {
        let connection = try openConnectionWithTable()
        let runs = Runs()
        XCTAssertThrowsError(try connection.transaction {
            connection.afterCommit("wake") { runs.add("wake") }
            throw Abort()
        })
        try connection.transaction { try connection.run("INSERT INTO t (value) VALUES ('x')") }
        XCTAssertEqual(runs.count("wake"), 0, "a later commit does not run the rolled-back transaction's action")
    }

    func testOutsideATransactionTheActionRunsAtOnce() throws {
        let connection = try openConnectionWithTable()
        let runs = Runs()
        try connection.run("INSERT INTO t (value) VALUES ('x')")
        connection.afterCommit("wake") { runs.add("wake") }
        XCTAssertEqual(runs.count("wake"), 1)
    }

    func testWriterRunsActionsOncePerBatchBeforeTheCompletions() throws {
        let writer = SQLiteWriter(connection: try openConnectionWithTable())
        addTeardownBlock { writer.shutdown() }
        let runs = Runs()
        let gate = StorageWriterGate()
        gate.close(writer)
        let recorder = StorageCompletionRecorder<Int>()
        for key in 0..<20 {
            writer.submit({ connection -> Int in
                try connection.run("INSERT INTO t (value) VALUES (?)", [.text("v\(key)")])
                connection.afterCommit("wake") { runs.add("wake") }
                return runs.count("wake")
            }) { recorder.record(key, $0.map { _ in runs.count("wake") }) }
        }
        gate.open()
        let results = recorder.wait(for: 20)
        XCTAssertEqual(runs.count("wake"), 1, "twenty operations in one batch ring once")
        XCTAssertEqual(results.values.compactMap { try? $0.get() }, Array(repeating: 1, count: 20),
                       "completions run after the action")
    }
}
