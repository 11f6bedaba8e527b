import Foundation
import HTTPTesting
import Storage
import XCTest

/// The PostgreSQL engine against a real server (a throwaway cluster per class): the same `?` statements, values and
/// units of work as the embedded engine, transactions that undo only their own changes, retries of serialization
/// failures, and errors classified the same way.
final class PostgresDatabaseTests: XCTestCase {
    nonisolated(unsafe) private static var cluster: PostgresCluster?
    private var database: PostgresDatabase!
    private var connectionString = ""

    override class func setUp() {
        super.setUp()
        cluster = try? PostgresCluster()
    }

    override class func tearDown() {
        cluster?.stop()
        cluster = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        let cluster = try XCTUnwrap(Self.cluster, "a PostgreSQL cluster starts (postgresql installed)")
        let name = "t_" + UUID().uuidString.prefix(8).lowercased()
        connectionString = try cluster.createDatabase(name)
        database = try PostgresDatabase(connectionString, poolSize: 4)
        try database.write { c in
            try c.execute("""
                CREATE TABLE items (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                                    size BIGINT, ratio DOUBLE PRECISION, body BYTEA, note TEXT);
                CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
                """)
        }
    }

    override func tearDown() {
        database?.close()
        database = nil
    }

    func testValuesRoundTripThroughBoundParameters() throws {
        let bytes: [UInt8] = [0, 1, 2, 255, 39, 92]
        let row = try database.write { c in
            try c.queryOne("""
                INSERT INTO items (name, size, ratio, body, note) VALUES (?, ?, ?, ?, ?)
                RETURNING id, name, size, ratio, body, note, 'literal ? stays' AS text
                """, [.text("Kopi ☕ 'O' -- not a comment"), .integer(Int64.max), .real(0.1), .blob(bytes), .null])
        }
        XCTAssertEqual(row?.int64("id"), 1)
        XCTAssertEqual(row?.string("name"), "Kopi ☕ 'O' -- not a comment")
        XCTAssertEqual(row?.int64("size"), Int64.max)
        XCTAssertEqual(row?.double("ratio"), 0.1)
        XCTAssertEqual(row?["body"], .blob(bytes))
        XCTAssertEqual(row?["note"], .null)
        XCTAssertEqual(row?.string("text"), "literal ? stays")
        let found = try database.read { c in
            try c.query("SELECT name FROM items WHERE size = ? AND name LIKE ?", [.integer(Int64.max), .text("Kopi%")])
        }
        XCTAssertEqual(found.count, 1)
        XCTAssertThrowsError(try database.read { c in try c.query("SELECT ? AS a", []) }, "too few values")
    }

    func testAFailedUnitOfWorkUndoesOnlyItsOwnChangesAndCommitActionsWaitForTheCommit() throws {
        final class Flag: @unchecked Sendable { var ran = 0 }
        let flag = Flag()
        try database.write { c in
            try c.run("INSERT INTO items (name) VALUES (?)", [.text("kept")])
            c.afterCommit("k") { flag.ran += 1 }
            XCTAssertEqual(flag.ran, 0, "not before the commit")
            XCTAssertThrowsError(try c.savepoint {
                try c.run("INSERT INTO items (name) VALUES (?)", [.text("undone")])
                try c.run("INSERT INTO items (name) VALUES (?)", [.text("kept")])
            })
        }
        XCTAssertEqual(flag.ran, 1)
        XCTAssertThrowsError(try database.write { c in
            try c.run("INSERT INTO items (name) VALUES (?)", [.text("rolled back")])
            c.afterCommit("never") { flag.ran += 10 }
            throw PostgresError(sqlState: "P0001", message: "the caller gave up")
        })
        let names = try database.read { c in try c.query("SELECT name FROM items ORDER BY id").compactMap { $0.string("name") } }
        XCTAssertEqual(names, ["kept"])
        XCTAssertEqual(flag.ran, 1)
    }

    func testErrorsAreClassifiedLikeTheEmbeddedEngine() throws {
        try database.write { c in try c.run("INSERT INTO items (name) VALUES ('a')") }
        do {
            try database.write { c in try c.run("INSERT INTO items (name) VALUES ('a')") }
            XCTFail("a duplicate is refused")
        } catch let error as PostgresError {
            XCTAssertTrue(error.isConstraintViolation, "\(error)")
            XCTAssertEqual(error.sqlState, "23505")
            XCTAssertFalse(error.isTransient)
        }
        XCTAssertThrowsError(try database.read { c in try c.query("SELECT * FROM missing") }) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "42P01")
        }
        XCTAssertThrowsError(try PostgresConnection("host=127.0.0.1 port=1 user=postgres password=s3cret connect_timeout=2")) {
            XCTAssertTrue(($0 as? PostgresError)?.isStorageFailure ?? false)
            XCTAssertFalse("\($0)".contains("s3cret"), "the password never shows")
        }
    }

    func testConcurrentWritesAreAllAppliedAndSerializationFailuresRunAgain() throws {
        try database.write { c in try c.run("INSERT INTO counters (name, value) VALUES ('n', 0)") }
        let writes = 200
        // Four connections on one row: some writers lose several times in a row before they win.
        let database = try PostgresDatabase(connectionString, poolSize: 4, maxAttempts: 100)
        defer { database.close() }
        DispatchQueue.concurrentPerform(iterations: writes) { _ in
            do {
                try database.write { c in
                    try c.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                    let value = try c.queryOne("SELECT value FROM counters WHERE name = 'n'")?.int64("value") ?? 0
                    try c.run("UPDATE counters SET value = ? WHERE name = 'n'", [.integer(value + 1)])
                }
            } catch {
                XCTFail("\(error)")
            }
        }
        let value = try database.read { c in try c.queryOne("SELECT value FROM counters")?.int64("value") }
        XCTAssertEqual(value, Int64(writes), "every increment applied once: conflicting ones were run again")
    }
}
