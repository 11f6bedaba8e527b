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
