import Foundation
import Storage
import XCTest

/// Base class for Storage tests: a fresh temporary directory per test, removed afterwards.
/// (Named `*Tests.swift` to stay within this module's test file convention; it has no tests itself.)
class StorageTestCase: XCTestCase {
    private(set) var directory = URL(fileURLWithPath: "/nonexistent")

    override func setUpWithError() throws {
        try super.setUpWithError()
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("storage-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
        try super.tearDownWithError()
    }

    /// Path of a database file inside the test directory.
    func databasePath(_ name: String = "test.sqlite") -> String {
        directory.appendingPathComponent(name).path
    }

    /// A read-write connection with a `t(id INTEGER PRIMARY KEY, value TEXT UNIQUE)` table.
    func openConnectionWithTable(_ name: String = "test.sqlite") throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: databasePath(name))
        try connection.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, value TEXT UNIQUE)")
        return connection
    }

    func succeeded<T>(_ result: Result<T, Error>?) -> Bool {
        if case .success? = result { return true }
        return false
    }

    func failure<T>(_ result: Result<T, Error>?) -> Error? {
        if case .failure(let error)? = result { return error }
        return nil
    }

    /// Number of rows in table `t`, read through a fresh read-only connection (so only committed
    /// data counts).
    func committedRowCount(_ name: String = "test.sqlite") throws -> Int? {
        let reader = try SQLiteConnection(path: databasePath(name), readOnly: true)
        defer { reader.close() }
        return try reader.queryOne("SELECT count(*) AS n FROM t")?.int("n")
    }

    /// Asserts that `body` throws an `SQLiteError` and returns it.
    func assertSQLiteError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> SQLiteError? {
        do {
            try body()
            XCTFail("expected an SQLiteError", file: file, line: line)
        } catch let error as SQLiteError {
            return error
        } catch {
            XCTFail("expected an SQLiteError, got \(error)", file: file, line: line)
        }
        return nil
    }
}

/// Holds the writer thread inside an operation until opened, so that work submitted meanwhile
/// queues up and is committed together in the following batch.
final class StorageWriterGate: @unchecked Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    /// Returns once the writer thread is blocked inside the gate operation.
    func close(_ writer: SQLiteWriter) {
        writer.submit({ _ in
            self.entered.signal()
            self.released.wait()
        }, completion: { _ in })
        entered.wait()
    }

    func open() {
        released.signal()
    }
}

/// Collects writer completions from any thread and lets the test wait for a number of them.
final class StorageCompletionRecorder<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var results = [Int: Result<Value, Error>]()

    func record(_ key: Int, _ result: Result<Value, Error>) {
        condition.lock()
        results[key] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `count` results arrived (or the timeout passed) and returns them by key.
    func wait(for count: Int, timeout: TimeInterval = 60) -> [Int: Result<Value, Error>] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while results.count < count && condition.wait(until: deadline) {}
        return results
    }

    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return results.count
    }
}
