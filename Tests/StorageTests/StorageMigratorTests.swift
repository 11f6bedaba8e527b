import Storage
import XCTest

/// Migrator: ordering, idempotence, atomicity, duplicate detection.
final class StorageMigratorTests: StorageTestCase {
    private let migrations = [
        Migration(version: 2, name: "add index", sql: "CREATE INDEX items_name ON items (name);"),
        Migration(version: 1, name: "create items", sql: """
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            INSERT INTO items (name) VALUES ('seed');
            """),
    ]

    func testAppliesPendingMigrationsInVersionOrderOnce() throws {
        let connection = try SQLiteConnection(path: databasePath())
        XCTAssertEqual(try Migrator.appliedVersions(connection), [])
        XCTAssertEqual(try Migrator.migrate(connection, migrations: migrations), [1, 2])
        XCTAssertEqual(try Migrator.migrate(connection, migrations: migrations), [])
        XCTAssertEqual(try Migrator.appliedVersions(connection), [1, 2])
        XCTAssertEqual(try connection.query("SELECT * FROM items").count, 1, "seed row inserted exactly once")
        let record = try XCTUnwrap(connection.queryOne("SELECT * FROM schema_migrations WHERE version = 1"))
        XCTAssertEqual(record.string("name"), "create items")
        XCTAssertFalse(record.string("applied_at")?.isEmpty ?? true)
    }

    func testIdempotentAcrossReopenAndAppliesNewOnes() throws {
        let first = try SQLiteConnection(path: databasePath())
        XCTAssertEqual(try Migrator.migrate(first, migrations: migrations), [1, 2])
        first.close()

        let second = try SQLiteConnection(path: databasePath())
        XCTAssertEqual(try Migrator.migrate(second, migrations: migrations), [])
        let extended = migrations + [Migration(version: 3, name: "add column", sql: "ALTER TABLE items ADD COLUMN note TEXT")]
        XCTAssertEqual(try Migrator.migrate(second, migrations: extended), [3])
        XCTAssertEqual(try Migrator.appliedVersions(second), [1, 2, 3])
        XCTAssertEqual(try second.query("SELECT * FROM items").count, 1)
    }

    func testFailingMigrationIsRolledBackAndEarlierOnesStay() throws {
        let connection = try SQLiteConnection(path: databasePath())
        let broken = migrations + [Migration(version: 3, name: "broken", sql: """
            CREATE TABLE half (x);
            INSERT INTO no_such_table VALUES (1);
            """)]
        XCTAssertThrowsError(try Migrator.migrate(connection, migrations: broken))
        XCTAssertEqual(try Migrator.appliedVersions(connection), [1, 2])
        XCTAssertNil(try connection.queryOne("SELECT name FROM sqlite_master WHERE name = 'half'"))
        XCTAssertFalse(connection.isInTransaction)
    }

    func testDuplicateVersionsThrowBeforeApplyingAnything() throws {
        let connection = try SQLiteConnection(path: databasePath())
        let duplicated = migrations + [Migration(version: 1, name: "again", sql: "CREATE TABLE other (x)")]
        XCTAssertThrowsError(try Migrator.migrate(connection, migrations: duplicated)) { error in
            XCTAssertEqual(error as? StorageError, .duplicateMigrationVersion(1))
        }
        XCTAssertEqual(try Migrator.appliedVersions(connection), [])
        XCTAssertNil(try connection.queryOne("SELECT name FROM sqlite_master WHERE name = 'items'"))
    }
}

/// A migration that rebuilds a table other tables reference (SQLite's procedure for changing a CHECK constraint).
final class StorageTableRebuildMigrationTests: StorageTestCase {
    private let parentAndChild = Migration(version: 1, name: "parent and child", sql: """
        CREATE TABLE parents (id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('a')));
        CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents (id));
        INSERT INTO parents VALUES (1, 'a');
        INSERT INTO children VALUES (10, 1);
        """)

    private func rebuild(keeping rows: String) -> Migration {
        Migration(version: 2, name: "parents take kind b", sql: """
            CREATE TABLE parents_new (id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('a', 'b')));
            INSERT INTO parents_new (id, kind) SELECT id, kind FROM parents \(rows);
            DROP TABLE parents;
            ALTER TABLE parents_new RENAME TO parents;
            """, rebuildsReferencedTable: true)
    }

    func testTheRebuildKeepsRowsAndReferencesAndEnforcementComesBack() throws {
        let connection = try SQLiteConnection(path: databasePath())
        XCTAssertEqual(try Migrator.migrate(connection, migrations: [parentAndChild, rebuild(keeping: "")]), [1, 2])
        try connection.run("INSERT INTO parents VALUES (2, 'b')")
        XCTAssertEqual(try connection.query("SELECT id FROM parents ORDER BY id").map { $0.int64("id") }, [1, 2])
        XCTAssertThrowsError(try connection.run("INSERT INTO children VALUES (11, 99)"), "foreign keys enforced again")
        XCTAssertNotNil(try connection.queryOne("SELECT 1 FROM sqlite_master WHERE sql LIKE '%REFERENCES parents%'"))
    }

    func testARebuildThatLosesReferencedRowsIsRolledBack() throws {
        let connection = try SQLiteConnection(path: databasePath())
        let losing = [parentAndChild, rebuild(keeping: "WHERE 0")]
        XCTAssertThrowsError(try Migrator.migrate(connection, migrations: losing)) {
            XCTAssertEqual($0 as? StorageError, .foreignKeyViolation(version: 2, table: "children"))
        }
        XCTAssertEqual(try Migrator.appliedVersions(connection), [1])
        XCTAssertEqual(try connection.query("SELECT kind FROM parents").map { $0.string("kind") }, ["a"])
        XCTAssertThrowsError(try connection.run("INSERT INTO children VALUES (11, 99)"), "foreign keys enforced again")
    }
}
