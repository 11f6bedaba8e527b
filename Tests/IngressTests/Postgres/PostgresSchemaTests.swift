import Delivery
import Foundation
import HTTPTesting
import Ingress
import Storage
import Synchronization
import XCTest

/// The gateway's complete migration list on a real PostgreSQL server: every migration applies in its PostgreSQL form,
/// a second pass applies nothing, and the result has every table, view, column, index and trigger the same list
/// builds on SQLite — so a migration added without a working PostgreSQL form fails here.
final class PostgresSchemaTests: XCTestCase {
    private var database: PostgresDatabase!

    override func setUpWithError() throws {
        let cluster = try PostgresCluster.shared()
        database = try PostgresDatabase(try cluster.createDatabase("s_" + UUID().uuidString.prefix(8).lowercased()),
                                        poolSize: 2)
    }

    override func tearDown() {
        database?.close()
        database = nil
    }

    func testEveryMigrationAppliesOnceAndASecondPassIsANoOp() throws {
        let versions = GatewaySchema.migrations.map(\.version).sorted()
        XCTAssertEqual(try PostgresMigrator.migrate(database, migrations: GatewaySchema.migrations), versions)
        XCTAssertEqual(try PostgresMigrator.migrate(database, migrations: GatewaySchema.migrations), [])
        XCTAssertEqual(try PostgresMigrator.appliedVersions(database), versions)
        let inboxLog = "inbox_log_migrations"
        XCTAssertEqual(try PostgresMigrator.migrate(database, migrations: InboxLog.migrations, ledger: inboxLog), [1, 2, 3])
        XCTAssertEqual(try PostgresMigrator.migrate(database, migrations: InboxLog.migrations, ledger: inboxLog), [])
        let ledger = try database.read { c in
            try c.queryOne("SELECT name, applied_at FROM schema_migrations WHERE version = 1")
        }
        XCTAssertEqual(ledger?.string("name"), "inbox")
        XCTAssertEqual(ledger?.string("applied_at")?.count, "2026-01-01T00:00:00.000Z".count, "applied_at: UTC, ms")
    }

    func testPostgresSchemaHasEverythingTheSQLiteSchemaHas() throws {
        _ = try PostgresMigrator.migrate(database, migrations: GatewaySchema.migrations)
        _ = try PostgresMigrator.migrate(database, migrations: InboxLog.migrations, ledger: "inbox_log_migrations")
        let sqlite = try SchemaShape(sqliteMigrations: [GatewaySchema.migrations, InboxLog.migrations])
        let postgres = try SchemaShape(postgres: database)
        XCTAssertGreaterThan(sqlite.columns.count, 80, "the SQLite schema was read")
        for (relation, columns) in sqlite.columns.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(postgres.columns[relation], columns, "the columns of \(relation)")
        }
        XCTAssertEqual(sqlite.indexes.subtracting(postgres.indexes), [], "indexes missing on PostgreSQL")
        XCTAssertEqual(sqlite.triggers.subtracting(postgres.triggers), [], "triggers missing on PostgreSQL")
    }

    func testTheServerRefusesWhatSQLiteRefuses() throws {
        _ = try PostgresMigrator.migrate(database, migrations: GatewaySchema.migrations)
        try database.write { c in
            try c.run("""
                INSERT INTO users (email, password_hash, role, created_at, updated_at)
                VALUES ('Ana@Example.com', 'x', 'admin', 1, 1)
                """)
            try c.run("""
                INSERT INTO audit_events (at, actor, credential_id, action, subject_type) VALUES (1, 'a', 'c', 'x', 'y')
                """)
        }
        try database.read { c in
            XCTAssertNotNil(try c.queryOne("SELECT id FROM users WHERE email = ?", ["ana@example.COM"]),
                            "emails compare whatever their letter case, as with SQLite's NOCASE")
        }
        for (statement, what) in [
            ("INSERT INTO users (email, password_hash, role, created_at, updated_at) "
                + "VALUES ('ANA@example.com', 'y', 'agent', 2, 2)", "a second user with the same email in other case"),
            ("UPDATE audit_events SET actor = 'someone else'", "an audit event changed"),
            ("INSERT INTO outlets (oid, fid, name, expiry_date, status, time_zone, updated_via, created_at, "
                + "updated_at) VALUES ('o', 'f', 'n', '1 May', 'active', 'UTC', 'import', 1, 1)", "an expiry date not YYYY-MM-DD"),
        ] {
            XCTAssertThrowsError(try database.write { c in try c.run(statement) }, what) { error in
                XCTAssertTrue((error as? PostgresError)?.isConstraintViolation == true, "\(what): \(error)")
            }
        }
    }

    func testInstancesStartingTogetherApplyEachMigrationOnce() throws {
        let applied = Mutex<[[Int]]>([])
        let failures = Mutex<[String]>([])
        let database = self.database!
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do {
                let versions = try PostgresMigrator.migrate(database, migrations: GatewaySchema.migrations)
                applied.withLock { $0.append(versions) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        XCTAssertEqual(applied.withLock { $0.map(\.count).sorted() }, [0, GatewaySchema.migrations.count],
                       "one instance applied everything, the other waited for it and found nothing left")
    }

    func testAPostgresFormThatNoLongerMatchesItsSQLiteTextFailsBeforeRunning() throws {
        let stale = Migration(version: 1, name: "stale", sql: "CREATE TABLE a (x INTEGER)",
                              postgres: .replacing([.init("CREATE TABLE b", with: "CREATE TABLE c")]))
        XCTAssertThrowsError(try PostgresMigrator.migrate(database, migrations: [stale])) { error in
            XCTAssertEqual(error as? StorageError, .postgresPassageMissing(version: 1, passage: "CREATE TABLE b"))
        }
        XCTAssertEqual(try PostgresMigrator.appliedVersions(database), [])
    }
}
