import Storage
import XCTest

/// Transactions, savepoints and read transactions on one connection.
final class StorageTransactionTests: StorageTestCase {
    private struct Abort: Error {}

    private func count(_ connection: SQLiteConnection) throws -> Int? {
        try connection.queryOne("SELECT count(*) AS n FROM t")?.int("n")
    }

    func testTransactionCommits() throws {
        let connection = try openConnectionWithTable()
        let id: Int64 = try connection.transaction {
            try connection.run("INSERT INTO t (value) VALUES (?)", ["a"])
            try connection.run("INSERT INTO t (value) VALUES (?)", ["b"])
            return connection.lastInsertRowID
        }
        XCTAssertEqual(id, 2)
        XCTAssertFalse(connection.isInTransaction)
        XCTAssertEqual(try count(connection), 2)
    }

    func testTransactionRollsBackOnThrow() throws {
        let connection = try openConnectionWithTable()
        XCTAssertThrowsError(try connection.transaction {
            try connection.run("INSERT INTO t (value) VALUES (?)", ["a"])
            throw Abort()
        }) { XCTAssertTrue($0 is Abort) }
        XCTAssertFalse(connection.isInTransaction)
        XCTAssertEqual(try count(connection), 0)
    }

    func testTransactionRollsBackOnSQLiteError() throws {
        let connection = try openConnectionWithTable()
        XCTAssertThrowsError(try connection.transaction {
            try connection.run("INSERT INTO t (value) VALUES (?)", ["a"])
            try connection.run("INSERT INTO t (value) VALUES (?)", ["a"])
        })
        XCTAssertEqual(try count(connection), 0)
    }

    func testTransactionIsVisibleToOtherConnectionsOnlyAfterCommit() throws {
        let connection = try openConnectionWithTable()
        let observer = try SQLiteConnection(path: databasePath(), readOnly: true)
        try connection.transaction {
            try connection.run("INSERT INTO t (value) VALUES (?)", ["a"])
            XCTAssertEqual(try count(observer), 0)
        }
        XCTAssertEqual(try count(observer), 1)
    }

    func testNestedSavepointsRollBackOnlyTheFailingLevel() throws {
        let connection = try openConnectionWithTable()
        try connection.transaction {
            try connection.run("INSERT INTO t (value) VALUES (?)", ["outer"])
            try connection.savepoint {
                try connection.run("INSERT INTO t (value) VALUES (?)", ["middle"])
                XCTAssertThrowsError(try connection.savepoint {
                    try connection.run("INSERT INTO t (value) VALUES (?)", ["inner"])
                    throw Abort()
                })
                try connection.savepoint {
                    try connection.run("INSERT INTO t (value) VALUES (?)", ["inner-ok"])
                }
            }
            XCTAssertThrowsError(try connection.savepoint {
                try connection.run("INSERT INTO t (value) VALUES (?)", ["second-middle"])
                try connection.savepoint {
                    try connection.run("INSERT INTO t (value) VALUES (?)", ["second-inner"])
                }
                throw Abort()
            })
        }
        let values = try connection.query("SELECT value FROM t ORDER BY id").compactMap { $0.string("value") }
        XCTAssertEqual(values, ["outer", "middle", "inner-ok"])
    }

    func testTransactionInsideTransactionActsAsSavepoint() throws {
        let connection = try openConnectionWithTable()
        try connection.transaction {
            try connection.run("INSERT INTO t (value) VALUES (?)", ["kept"])
            XCTAssertThrowsError(try connection.transaction {
                try connection.run("INSERT INTO t (value) VALUES (?)", ["dropped"])
                throw Abort()
            })
            XCTAssertTrue(connection.isInTransaction)
        }
        XCTAssertEqual(try connection.query("SELECT value FROM t").compactMap { $0.string("value") }, ["kept"])
    }

    func testSavepointOutsideTransactionCommits() throws {
        let connection = try openConnectionWithTable()
        try connection.savepoint {
            try connection.run("INSERT INTO t (value) VALUES (?)", ["a"])
            XCTAssertTrue(connection.isInTransaction)
        }
        XCTAssertFalse(connection.isInTransaction)
        XCTAssertThrowsError(try connection.savepoint {
            try connection.run("INSERT INTO t (value) VALUES (?)", ["b"])
            throw Abort()
        })
        XCTAssertFalse(connection.isInTransaction)
        XCTAssertEqual(try count(connection), 1)
    }

    func testReadTransactionSeesOneSnapshot() throws {
        let writer = try openConnectionWithTable()
        let reader = try SQLiteConnection(path: databasePath(), readOnly: true)
        try writer.run("INSERT INTO t (value) VALUES (?)", ["a"])
        try reader.readTransaction {
            XCTAssertEqual(try count(reader), 1)
            try writer.run("INSERT INTO t (value) VALUES (?)", ["b"])
            XCTAssertEqual(try count(reader), 1, "snapshot must not move inside a read transaction")
        }
        XCTAssertFalse(reader.isInTransaction)
        XCTAssertEqual(try count(reader), 2)
    }
}
