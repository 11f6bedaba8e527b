import Storage
import XCTest

/// Enumerated `CHECK` constraints are stored in the form SQLite evaluates without building a temporary b-tree per
/// row, and accept and refuse exactly what the migrations' `IN` lists do.
final class StorageEnumeratedCheckTests: StorageTestCase {
    private static let tasks = Migration(version: 1, name: "tasks", sql: """
        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'failed')),
            channel TEXT CHECK (channel IN ('sms', 'mail')),
            label TEXT CHECK (label NOT IN ('x', 'y', 'z')),
            note TEXT CHECK (length(note) < 100 AND note IN ('it''s', 'a, b',
                                                             '(c)', 'd'))
        );
        CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT);
        CREATE INDEX jobs_open ON jobs (id) WHERE state IN ('new', 'running', 'waiting');
        """)

    private func migrated() throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: databasePath())
        addTeardownBlock { connection.close() }
        XCTAssertEqual(try Migrator.migrate(connection, migrations: [Self.tasks]), [1])
        return connection
    }

    private func definition(_ name: String, in connection: SQLiteConnection) throws -> String {
        try XCTUnwrap(connection.queryOne("SELECT sql FROM sqlite_master WHERE name = ?", [.text(name)])?.string("sql"))
    }

    func testListsOfThreeOrMoreBecomeComparisonsAndEverythingElseStaysAsWritten() throws {
        let connection = try migrated()
        let table = try definition("tasks", in: connection)
        XCTAssertTrue(table.contains("CHECK ((status = 'pending' OR status = 'applied' OR status = 'failed'))"), table)
        XCTAssertTrue(table.contains("""
            CHECK (length(note) < 100 AND (note = 'it''s' OR note = 'a, b' OR note = '(c)' OR note = 'd'))
            """), table)
        XCTAssertTrue(table.contains("CHECK (channel IN ('sms', 'mail'))"), "two values cost no b-tree: \(table)")
        XCTAssertTrue(table.contains("CHECK ((label <> 'x' AND label <> 'y' AND label <> 'z'))"), table)
        XCTAssertTrue(try definition("jobs_open", in: connection).contains("WHERE state IN ('new', 'running', 'waiting')"),
                      "a partial index keeps the predicate the planner matches queries against")
        let plan = try connection.query("EXPLAIN INSERT INTO tasks (status) VALUES ('applied')")
        XCTAssertFalse(plan.contains { $0.string("opcode") == "OpenEphemeral" }, "no temporary b-tree per row")
    }

    func testTheRewrittenConstraintsAcceptAndRefuseTheSameRows() throws {
        let connection = try migrated()
        for status in ["pending", "applied", "failed"] {
            XCTAssertNoThrow(try connection.run("INSERT INTO tasks (status) VALUES (?)", [.text(status)]), status)
        }
        for status in ["done", "Pending", "pending ", ""] {
            XCTAssertThrowsError(try connection.run("INSERT INTO tasks (status) VALUES (?)", [.text(status)]),
                                 "'\(status)' is refused") { error in
                XCTAssertTrue("\(error)".contains("CHECK constraint failed"), "\(error)")
            }
        }
        XCTAssertNoThrow(try connection.run("INSERT INTO tasks (status, note) VALUES ('failed', ?)", [.text("it's")]))
        XCTAssertNoThrow(try connection.run("INSERT INTO tasks (status, note) VALUES ('failed', NULL)"),
                         "NULL passes a CHECK in either form")
        XCTAssertThrowsError(try connection.run("INSERT INTO tasks (status, note) VALUES ('failed', 'e')"))
        XCTAssertThrowsError(try connection.run("INSERT INTO tasks (status, label) VALUES ('failed', 'y')"))
        XCTAssertNoThrow(try connection.run("INSERT INTO tasks (status, label) VALUES ('failed', 'w')"))
        XCTAssertThrowsError(try connection.run("UPDATE tasks SET status = 'gone' WHERE status = 'pending'"))
        XCTAssertEqual(try connection.query("SELECT id FROM tasks").count, 6)
        XCTAssertEqual(try connection.queryOne("PRAGMA integrity_check")?.string("integrity_check"), "ok")
    }

    func testAStoreWrittenByAnEarlierBuildIsRewrittenOnceWithItsRows() throws {
        // An earlier build applied the migration as written and stored rows under it.
        let earlier = try SQLiteConnection(path: databasePath())
        try earlier.execute(Self.tasks.sql)
        try earlier.run("INSERT INTO tasks (status) VALUES ('applied')")
        earlier.close()
        // A connection that has read the schema before the rewrite.
        let other = try SQLiteConnection(path: databasePath())
        defer { other.close() }
        XCTAssertEqual(try other.query("SELECT id FROM tasks").count, 1)

        let connection = try SQLiteConnection(path: databasePath())
        addTeardownBlock { connection.close() }
        XCTAssertEqual(try Migrator.migrate(connection, migrations: []), [])
        XCTAssertTrue(try definition("tasks", in: connection).contains("status = 'applied' OR"))
        let version = try connection.queryOne("PRAGMA schema_version")?.int("schema_version")
        XCTAssertEqual(try Migrator.migrate(connection, migrations: []), [])
        XCTAssertEqual(try connection.queryOne("PRAGMA schema_version")?.int("schema_version"), version,
                       "an up-to-date schema is not written again")
        XCTAssertEqual(try connection.queryOne("SELECT status FROM tasks")?.string("status"), "applied")
        XCTAssertThrowsError(try connection.run("INSERT INTO tasks (status) VALUES ('done')"))

        // The connection opened before reads the new definition when its next statement runs.
        XCTAssertThrowsError(try other.run("INSERT INTO tasks (status) VALUES ('done')"))
        XCTAssertFalse(try other.query("EXPLAIN INSERT INTO tasks (status) VALUES ('applied')")
            .contains { $0.string("opcode") == "OpenEphemeral" })
    }
}
