import Foundation
import Storage
import XCTest

/// SQLiteConnection: opening, binding, reading, statement cache, errors.
final class StorageConnectionTests: StorageTestCase {
    func testBindsAndReadsEveryValueType() throws {
        let connection = try SQLiteConnection(path: databasePath())
        try connection.execute("CREATE TABLE v (id INTEGER PRIMARY KEY, value)")
        let values: [SQLValue] = [
            .null, .integer(0), .integer(Int64.max), .integer(Int64.min), .real(3.25), .real(-0.5),
            .text(""), .text("plain"), .text("héllo wörld 🌍 日本語 \u{202E}"), .text("a\u{0}b"),
            .blob([]), .blob([0, 1, 0, 255, 0]), .blob([UInt8](repeating: 0, count: 1000)),
        ]
        for value in values {
            try connection.run("INSERT INTO v (value) VALUES (?)", [value])
        }
        let stored = try connection.query("SELECT value FROM v ORDER BY id").map { $0["value"] }
        XCTAssertEqual(stored, values)
        // Empty text and empty blob must not come back as NULL.
        XCTAssertEqual(try connection.queryOne("SELECT count(*) AS n FROM v WHERE value IS NULL")?.int("n"), 1)
    }

    /// Text and blob parameters are bound from one buffer the connection reuses: each statement sees its own values,
    /// also after one that grew the buffer for a large value, one that failed, and in a function that needs its text
    /// as a C string.
    func testEachStatementSeesItsOwnParametersFromTheReusedBuffer() throws {
        let connection = try SQLiteConnection(path: databasePath())
        try connection.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, a, b, c UNIQUE)")
        let large = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let rows: [[SQLValue]] = [
            [.text("first"), .blob([1, 2, 3]), .text("k1")],
            [.blob(large), .text(String(repeating: "é", count: 70_000)), .text("k2")],
            [.text("short"), .text("x"), .text("k3")],
            [.text("a\u{0}b"), .blob([0]), .text(String(repeating: "k", count: 5000))],
        ]
        for row in rows {
            try connection.run("INSERT INTO p (a, b, c) VALUES (?, ?, ?)", row)
        }
        XCTAssertThrowsError(try connection.run("INSERT INTO p (a, b, c) VALUES (?, ?, ?)",
                                                [.text("duplicate"), .blob(large), .text("k1")]))
        try connection.run("INSERT INTO p (a, b, c) VALUES (?, ?, ?)", [.text("after"), .null, .text("k5")])
        let stored = try connection.query("SELECT a, b, c FROM p ORDER BY id").map { [$0["a"], $0["b"], $0["c"]] }
        XCTAssertEqual(stored, rows + [[.text("after"), .null, .text("k5")]])
        let elements = try connection.query("SELECT value FROM json_each(?) ORDER BY key",
                                            [.text("[\"one\",\"two\"]")]).map { $0["value"] }
        XCTAssertEqual(elements, [.text("one"), .text("two")])
    }

    func testRowAccessorsAreStrict() throws {
        let connection = try SQLiteConnection(path: databasePath())
        let row = try XCTUnwrap(connection.queryOne(
            "SELECT 42 AS i, 2.0 AS whole, 2.5 AS r, 'x' AS s, x'00ff' AS b, NULL AS n, 0 AS f, '7' AS digits"))
        XCTAssertEqual(row.int("i"), 42)
        XCTAssertEqual(row.int64("i"), 42)
        XCTAssertEqual(row.double("i"), 42)
        XCTAssertEqual(row.int("whole"), 2)
        XCTAssertNil(row.int("r"))
        XCTAssertEqual(row.double("r"), 2.5)
        XCTAssertEqual(row.string("s"), "x")
        XCTAssertNil(row.string("i"))
        XCTAssertEqual(row.blob("b"), [0x00, 0xff])
        XCTAssertNil(row.blob("s"))
        XCTAssertNil(row.int("n"))
        XCTAssertEqual(row.bool("i"), true)
        XCTAssertEqual(row.bool("f"), false)
        XCTAssertNil(row.int("digits"), "text is not parsed as a number")
        XCTAssertEqual(row["missing"], .null)
        XCTAssertFalse(row.contains("missing"))
        XCTAssertTrue(row.contains("n"))
        XCTAssertEqual(row[0], .integer(42))
        XCTAssertEqual(row.columnNames, ["i", "whole", "r", "s", "b", "n", "f", "digits"])
    }

    func testSQLValueLiteralsAndConvenienceInitializers() {
        let literals: [SQLValue] = ["text", 7, 1.5, true, nil]
        XCTAssertEqual(literals, [.text("text"), .integer(7), .real(1.5), .integer(1), .null])
        XCTAssertEqual(SQLValue(Optional<String>.none), .null)
        XCTAssertEqual(SQLValue("a" as String?), .text("a"))
        XCTAssertEqual(SQLValue(5 as Int?), .integer(5))
        XCTAssertEqual(SQLValue(Int64(6) as Int64?), .integer(6))
        XCTAssertEqual(SQLValue(2.5 as Double?), .real(2.5))
        XCTAssertEqual(SQLValue(false), .integer(0))
        XCTAssertEqual(SQLValue([1, 2] as [UInt8]?), .blob([1, 2]))
        XCTAssertEqual(SQLValue(Optional<[UInt8]>.none), .null)
        XCTAssertTrue(SQLValue.null.isNull)
        // Unannotated literals pick the natural overload.
        XCTAssertEqual(SQLValue(5), .integer(5))
        XCTAssertEqual(SQLValue("s"), .text("s"))
        XCTAssertEqual(SQLValue(0.25), .real(0.25))
    }

    func testInjectionLookingTextIsStoredVerbatim() throws {
        let connection = try openConnectionWithTable()
        let hostile = "x'); DROP TABLE t; -- \" OR 1=1; SELECT * FROM sqlite_master"
        try connection.run("INSERT INTO t (value) VALUES (?)", [.text(hostile)])
        XCTAssertEqual(try connection.queryOne("SELECT value FROM t")?.string("value"), hostile)
        XCTAssertEqual(try connection.query("SELECT * FROM t WHERE value = ?", [.text("' OR '1'='1")]).count, 0)
        XCTAssertEqual(try connection.query("SELECT name FROM sqlite_master WHERE name = 't'").count, 1)
    }

    func testStatementCacheReusesPreparedStatements() throws {
        let connection = try openConnectionWithTable()
        let baseline = connection.cachedStatementCount
        for index in 0..<200 {
            try connection.run("INSERT INTO t (value) VALUES (?)", [.text("v\(index)")])
        }
        XCTAssertEqual(connection.cachedStatementCount, baseline + 1)
        for _ in 0..<50 {
            _ = try connection.query("SELECT count(*) AS n FROM t")
        }
        XCTAssertEqual(connection.cachedStatementCount, baseline + 2)
        XCTAssertEqual(try connection.queryOne("SELECT count(*) AS n FROM t")?.int("n"), 200)
        // A reused statement never silently keeps the previous call's values.
        XCTAssertThrowsError(try connection.run("INSERT INTO t (value) VALUES (?)"))
    }

    func testBuiltSQLGetsItsOwnStatementWhenItsTextReusesAnAddress() throws {
        let connection = try openConnectionWithTable()
        func sql(_ value: Int) -> String { String(repeating: " ", count: 20) + "SELECT \(value) AS n" }
        for value in 0..<50 {
            XCTAssertEqual(try connection.queryOne(sql(value))?.int("n"), value)
            // The same text again, in a new string that is freed right after: the allocator is likely to hand its
            // address to the next string, which holds other SQL.
            XCTAssertEqual(try connection.queryOne(sql(value))?.int("n"), value)
            XCTAssertEqual(try connection.queryOne(sql(value + 1000))?.int("n"), value + 1000)
        }
    }

    func testShortAndBuiltSQLFindTheirOwnStatementsBeyondTheIndexCapacity() throws {
        let connection = try openConnectionWithTable()
        for value in 0..<600 {
            // Short text lives inside the string value; longer built text in a new allocation each time.
            XCTAssertEqual(try connection.queryOne("SELECT \(value) AS n")?.int("n"), value)
            XCTAssertEqual(try connection.queryOne("SELECT \(value) AS n, 'padding' AS p")?.int("n"), value)
            XCTAssertEqual(try connection.queryOne("SELECT count(*) AS n FROM t")?.int("n"), 0)
            try connection.savepoint { try connection.savepoint { try connection.run("DELETE FROM t") } }
        }
    }

    func testCachedStatementSeesNewColumnsAfterASchemaChange() throws {
        let connection = try openConnectionWithTable()
        try connection.run("INSERT INTO t (value) VALUES ('a')")
        XCTAssertEqual(try connection.queryOne("SELECT * FROM t")?.columnNames, ["id", "value"])
        // SQLite recompiles the cached statement; its column names must be read again, not reused.
        try connection.execute("ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'x'")
        let row = try connection.queryOne("SELECT * FROM t")
        XCTAssertEqual(row?.columnNames, ["id", "value", "extra"])
        XCTAssertEqual(row?.string("extra"), "x")
        XCTAssertEqual(row?.string("value"), "a")
    }

    func testQueryOneStopsEarlyButWritesWithReturningComplete() throws {
        let connection = try openConnectionWithTable()
        XCTAssertNil(try connection.queryOne("SELECT * FROM t"))
        let row = try connection.queryOne("INSERT INTO t (value) VALUES ('a'), ('b'), ('c') RETURNING id")
        XCTAssertEqual(row?.int("id"), 1)
        XCTAssertEqual(try connection.queryOne("SELECT count(*) AS n FROM t")?.int("n"), 3)
    }

    func testChangesAndLastInsertRowID() throws {
        let connection = try openConnectionWithTable()
        try connection.run("INSERT INTO t (value) VALUES (?)", ["a"])
        XCTAssertEqual(connection.lastInsertRowID, 1)
        try connection.run("INSERT INTO t (value) VALUES (?)", ["b"])
        XCTAssertEqual(connection.lastInsertRowID, 2)
        XCTAssertEqual(connection.changes, 1)
        try connection.run("UPDATE t SET value = value || '!'")
        XCTAssertEqual(connection.changes, 2)
    }

    func testConfiguresWALForeignKeysAndSynchronous() throws {
        let connection = try SQLiteConnection(path: databasePath())
        XCTAssertEqual(try connection.queryOne("PRAGMA journal_mode")?[0], .text("wal"))
        XCTAssertEqual(try connection.queryOne("PRAGMA foreign_keys")?[0], .integer(1))
        XCTAssertEqual(try connection.queryOne("PRAGMA synchronous")?[0], .integer(2))
        let normal = try SQLiteConnection(path: databasePath("normal.sqlite"), synchronous: .normal,
                                          busyTimeoutMilliseconds: 250)
        XCTAssertEqual(try normal.queryOne("PRAGMA synchronous")?[0], .integer(1))
        XCTAssertEqual(try normal.queryOne("PRAGMA busy_timeout")?[0], .integer(250))
    }

    func testCreatesMissingParentDirectories() throws {
        let path = directory.appendingPathComponent("a/b/c/db.sqlite").path
        let connection = try SQLiteConnection(path: path)
        try connection.execute("CREATE TABLE x (y)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
    }

    func testConstraintViolationsAreFlagged() throws {
        let connection = try openConnectionWithTable()
        try connection.execute("CREATE TABLE child (parent INTEGER NOT NULL REFERENCES t(id))")
        try connection.run("INSERT INTO t (value) VALUES (?)", ["dup"])

        let unique = assertSQLiteError { try connection.run("INSERT INTO t (value) VALUES (?)", ["dup"]) }
        XCTAssertEqual(unique?.isConstraintViolation, true)
        XCTAssertEqual(unique?.isBusy, false)
        XCTAssertEqual(unique?.isStorageFailure, false)
        XCTAssertEqual(unique?.primaryCode, 19)   // SQLITE_CONSTRAINT
        XCTAssertEqual(unique?.code, 2067)        // SQLITE_CONSTRAINT_UNIQUE

        let notNull = assertSQLiteError { try connection.run("INSERT INTO child (parent) VALUES (?)", [nil]) }
        XCTAssertEqual(notNull?.isConstraintViolation, true)
        let foreignKey = assertSQLiteError { try connection.run("INSERT INTO child (parent) VALUES (?)", [999]) }
        XCTAssertEqual(foreignKey?.isConstraintViolation, true)
    }

    func testErrorsCarrySQLButNeverBoundValues() throws {
        let connection = try openConnectionWithTable()
        let syntax = assertSQLiteError { try connection.run("INSERT INTO nowhere (value) VALUES (?)", ["x"]) }
        guard case .prepareFailed(_, let message, let sql)? = syntax else {
            return XCTFail("expected prepareFailed, got \(String(describing: syntax))")
        }
        XCTAssertTrue(message.contains("nowhere"))
        XCTAssertEqual(sql, "INSERT INTO nowhere (value) VALUES (?)")

        try connection.run("INSERT INTO t (value) VALUES (?)", ["secret-token-123"])
        let duplicate = assertSQLiteError { try connection.run("INSERT INTO t (value) VALUES (?)", ["secret-token-123"]) }
        XCTAssertFalse(String(describing: duplicate).contains("secret-token-123"))
    }

    func testRejectsWrongParameterCountAndMultipleStatements() throws {
        let connection = try openConnectionWithTable()
        let count = assertSQLiteError { try connection.run("INSERT INTO t (id, value) VALUES (?, ?)", [1]) }
        guard case .parameterCountMismatch(2, 1, _)? = count else { return XCTFail("got \(String(describing: count))") }

        let multiple = assertSQLiteError { try connection.run("INSERT INTO t (value) VALUES ('a'); DELETE FROM t") }
        guard case .multipleStatements? = multiple else { return XCTFail("got \(String(describing: multiple))") }
        XCTAssertEqual(try connection.queryOne("SELECT count(*) AS n FROM t")?.int("n"), 0)

        // Trailing semicolons, whitespace and comments are not extra statements.
        try connection.run("INSERT INTO t (value) VALUES (?);  -- note\n ;", ["ok"])
        XCTAssertEqual(try connection.queryOne("SELECT count(*) AS n FROM t")?.int("n"), 1)
    }

    func testExecuteRunsSeveralStatements() throws {
        let connection = try SQLiteConnection(path: databasePath())
        try connection.execute("CREATE TABLE a (x); CREATE TABLE b (y); INSERT INTO a VALUES (1);")
        XCTAssertEqual(try connection.queryOne("SELECT x FROM a")?.int("x"), 1)
        XCTAssertThrowsError(try connection.execute("CREATE TABLE a (x)"))
    }

    func testCloseIsIdempotentAndLaterUseThrows() throws {
        let connection = try openConnectionWithTable()
        _ = try connection.query("SELECT * FROM t")
        connection.close()
        connection.close()
        XCTAssertTrue(connection.isClosed)
        XCTAssertThrowsError(try connection.run("SELECT 1")) { error in
            XCTAssertEqual(error as? StorageError, .connectionClosed)
        }
    }

    func testInMemoryDatabaseWorks() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE m (x)")
        try connection.run("INSERT INTO m VALUES (?)", [1])
        XCTAssertEqual(try connection.query("SELECT x FROM m").count, 1)
    }
}
