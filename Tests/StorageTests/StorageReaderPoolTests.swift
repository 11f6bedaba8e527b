import Foundation
import Storage
import XCTest

/// SQLiteReaderPool: reads alongside the writer, lending, closing.
final class StorageReaderPoolTests: StorageTestCase {
    private func makeWriterAndPool(size: Int = 2) throws -> (SQLiteWriter, SQLiteReaderPool) {
        let writer = SQLiteWriter(connection: try openConnectionWithTable())
        let pool = try SQLiteReaderPool(path: databasePath(), size: size)
        addTeardownBlock {
            pool.close()
            writer.shutdown()
        }
        return (writer, pool)
    }

    private func count(_ pool: SQLiteReaderPool) throws -> Int? {
        try pool.read { try $0.queryOne("SELECT count(*) AS n FROM t")?.int("n") }
    }

    func testSeesCommittedWrites() throws {
        let (writer, pool) = try makeWriterAndPool()
        XCTAssertEqual(try count(pool), 0)
        try writer.perform { try $0.run("INSERT INTO t (value) VALUES (?)", ["a"]) }
        XCTAssertEqual(try count(pool), 1)
        XCTAssertEqual(try pool.read { try $0.queryOne("SELECT value FROM t")?.string("value") }, "a")
    }

    func testReadsAreNotBlockedByAnOpenWriteTransactionAndDoNotSeeIt() throws {
        let (writer, pool) = try makeWriterAndPool()
        let inserted = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        writer.submit({ connection in
            try connection.run("INSERT INTO t (value) VALUES (?)", ["pending"])
            inserted.signal()
            release.wait()
        }, completion: { _ in done.signal() })
        inserted.wait()
        XCTAssertEqual(try count(pool), 0, "uncommitted row must be invisible, and the read must not block")
        release.signal()
        done.wait()
        XCTAssertEqual(try count(pool), 1)
    }

    func testReadWaitsForAFreeConnection() throws {
        let (_, pool) = try makeWriterAndPool(size: 1)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let secondDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? pool.read { _ in
                holding.signal()
                release.wait()
            }
        }
        holding.wait()
        Thread.detachNewThread {
            _ = try? pool.read { _ in }
            secondDone.signal()
        }
        XCTAssertEqual(secondDone.wait(timeout: .now() + 0.2), .timedOut, "second reader must wait")
        release.signal()
        XCTAssertEqual(secondDone.wait(timeout: .now() + 10), .success)
    }

    func testConnectionsAreReadOnly() throws {
        let (_, pool) = try makeWriterAndPool()
        let error = assertSQLiteError { try pool.read { try $0.run("INSERT INTO t (value) VALUES (?)", ["x"]) } }
        XCTAssertEqual(error?.isStorageFailure, true)
        XCTAssertEqual(error?.primaryCode, 8)   // SQLITE_READONLY
    }

    func testReadTransactionLeftOpenIsEndedOnReturn() throws {
        let (_, pool) = try makeWriterAndPool(size: 1)
        try pool.read { connection in
            try connection.execute("BEGIN")
            _ = try connection.query("SELECT * FROM t")
        }
        XCTAssertFalse(try pool.read { $0.isInTransaction })
    }

    func testClosedPoolRejectsReads() throws {
        let (_, pool) = try makeWriterAndPool()
        pool.close()
        pool.close()
        XCTAssertThrowsError(try pool.read { _ in }) { error in
            XCTAssertEqual(error as? StorageError, .shuttingDown)
        }
    }

    func testOpeningMissingDatabaseFails() {
        XCTAssertThrowsError(try SQLiteReaderPool(path: databasePath("missing.sqlite"), size: 1)) { error in
            XCTAssertEqual((error as? SQLiteError)?.isStorageFailure, true)
        }
    }
}
