import Foundation
import Storage
import XCTest

/// Storage failures surface as `SQLiteError` with `isStorageFailure`, and the writer never reports
/// success for data that is not stored.
///
/// Tests run as root, which ignores file permissions, so unwritable storage is simulated with
/// read-only connections, `PRAGMA query_only`, `PRAGMA max_page_count` (disk full), a regular file
/// in place of a directory, and a file that is not a database.
final class StorageFailureTests: StorageTestCase {
    func testWriteThroughReadOnlyConnection() throws {
        _ = try openConnectionWithTable()
        let readOnly = try SQLiteConnection(path: databasePath(), readOnly: true)
        let error = assertSQLiteError { try readOnly.run("INSERT INTO t (value) VALUES (?)", ["x"]) }
        XCTAssertEqual(error?.isStorageFailure, true)
        XCTAssertEqual(error?.primaryCode, 8)   // SQLITE_READONLY
    }

    func testQueryOnlyConnection() throws {
        let connection = try openConnectionWithTable()
        try connection.execute("PRAGMA query_only = 1")
        let error = assertSQLiteError { try connection.run("INSERT INTO t (value) VALUES (?)", ["x"]) }
        XCTAssertEqual(error?.isStorageFailure, true)
    }

    func testDiskFull() throws {
        let connection = try openConnectionWithTable()
        try limitGrowth(of: connection)
        let error = assertSQLiteError {
            try connection.run("INSERT INTO t (value) VALUES (?)", [.text(String(repeating: "x", count: 1_000_000))])
        }
        XCTAssertEqual(error?.isStorageFailure, true)
        XCTAssertEqual(error?.primaryCode, 13)   // SQLITE_FULL
    }

    func testDirectoryCannotBeCreated() throws {
        let blocker = directory.appendingPathComponent("blocker")
        try Data("file".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("db.sqlite").path
        for readOnly in [false, true] {
            XCTAssertThrowsError(try SQLiteConnection(path: path, readOnly: readOnly)) { error in
                guard let error = error as? SQLiteError, case .openFailed = error else {
                    return XCTFail("expected openFailed, got \(error)")
                }
                XCTAssertTrue(error.isStorageFailure)
                XCTAssertEqual(error.primaryCode, 14)   // SQLITE_CANTOPEN
            }
        }
    }

    func testFileIsNotADatabase() throws {
        let path = databasePath("garbage.sqlite")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SQLiteConnection(path: path)) { error in
            XCTAssertEqual((error as? SQLiteError)?.isStorageFailure, true, "\(error)")
            XCTAssertEqual((error as? SQLiteError)?.primaryCode, 26)   // SQLITE_NOTADB
        }
    }

    func testWriterFailsWholeBatchWhenBeginFails() throws {
        _ = try openConnectionWithTable()
        // Another connection holds the write lock, so the writer's BEGIN IMMEDIATE times out.
        let intruder = try SQLiteConnection(path: databasePath())
        try intruder.execute("BEGIN IMMEDIATE")
        let writer = SQLiteWriter(connection: try SQLiteConnection(path: databasePath(), busyTimeoutMilliseconds: 50))
        defer { writer.shutdown() }

        let recorder = StorageCompletionRecorder<Void>()
        for key in 0..<3 {
            writer.submit({ try $0.run("INSERT INTO t (value) VALUES (?)", [.text("v\(key)")]) }) { recorder.record(key, $0) }
        }
        let results = recorder.wait(for: 3)
        for key in 0..<3 {
            XCTAssertEqual((failure(results[key]) as? SQLiteError)?.isBusy, true, "\(String(describing: results[key]))")
        }
        try intruder.execute("ROLLBACK")
        XCTAssertEqual(try committedRowCount(), 0)
        XCTAssertNoThrow(try writer.perform { try $0.run("INSERT INTO t (value) VALUES (?)", ["after"]) })
    }

    func testWriterOutcomesMatchTheDatabaseWhenTheDiskFills() throws {
        let connection = try openConnectionWithTable()
        try limitGrowth(of: connection)
        let writer = SQLiteWriter(connection: connection)
        defer { writer.shutdown() }
        let gate = StorageWriterGate()
        gate.close(writer)

        let recorder = StorageCompletionRecorder<String>()
        let values = ["before-1", "before-2", String(repeating: "x", count: 1_000_000), "after-1", "after-2"]
        for (key, value) in values.enumerated() {
            writer.submit({ connection -> String in
                try connection.run("INSERT INTO t (value) VALUES (?)", [.text(value)])
                return value
            }) { recorder.record(key, $0) }
        }
        gate.open()
        let results = recorder.wait(for: values.count)

        XCTAssertEqual((failure(results[2]) as? SQLiteError)?.isStorageFailure, true)
        let stored = Set(try writer.perform { try $0.query("SELECT value FROM t").compactMap { $0.string("value") } })
        for key in [0, 1, 3, 4] {
            // The invariant that matters: success if and only if the row is really stored.
            XCTAssertEqual(succeeded(results[key]), stored.contains(values[key]), "\(values[key]): \(String(describing: results[key]))")
            if let error = failure(results[key]) {
                XCTAssertEqual(error as? StorageError, .batchRolledBack)
            }
        }
        // Operations after the failure are not dragged down with it.
        XCTAssertTrue(succeeded(results[3]))
        XCTAssertTrue(succeeded(results[4]))
    }

    /// Caps the database at its current size plus two pages: small rows still fit, large ones hit SQLITE_FULL.
    private func limitGrowth(of connection: SQLiteConnection) throws {
        let pages = try XCTUnwrap(connection.queryOne("PRAGMA page_count")?.int("page_count"))
        try connection.execute("PRAGMA max_page_count = \(pages + 2)")
    }
}
