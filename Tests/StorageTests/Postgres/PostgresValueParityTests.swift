import Foundation
import HTTPTesting
import Storage
import XCTest

/// The same statements on both engines give the same values: integers, reals, text and bytes as they were stored;
/// what PostgreSQL types differently — sums of integers (`numeric`), averages, comparisons (`boolean`) — as SQLite
/// gives them; SQLite's numbered placeholders (`?2`, used twice) and typed NULL tests run on the server too.
final class PostgresValueParityTests: XCTestCase {
    private var postgres: PostgresDatabase!
    private var sqlite: SQLiteConnection!

    override func setUpWithError() throws {
        let cluster = try PostgresCluster.shared()
        postgres = try PostgresDatabase(try cluster.createDatabase("v_" + UUID().uuidString.prefix(8).lowercased()),
                                        poolSize: 2)
        sqlite = try SQLiteConnection(path: ":memory:")
        let schema = Migration(version: 1, name: "values", sql: """
            CREATE TABLE v (id INTEGER PRIMARY KEY, n INTEGER, r REAL, t TEXT, b BLOB, flag INTEGER);
            """)
        _ = try PostgresMigrator.migrate(postgres, migrations: [schema])
        _ = try Migrator.migrate(sqlite, migrations: [schema])
        let rows: [[SQLValue]] = [
            [.integer(Int64.max - 1), .real(0.1), .text("Kopi ☕ 'O'"), .blob([0, 1, 255]), .integer(1)],
            [.integer(-3), .real(-2.5), .text(""), .blob([]), .integer(0)],
            [.null, .null, .null, .null, .null],
        ]
        for values in rows {
            let insert = "INSERT INTO v (n, r, t, b, flag) VALUES (?, ?, ?, ?, ?)"
            try sqlite.run(insert, values)
            try postgres.write { c in try c.run(insert, values) }
        }
    }

    override func tearDown() {
        postgres?.close()
        sqlite?.close()
    }

    func testStoredValuesComeBackTheSame() throws {
        try assertSame("SELECT id, n, r, t, b, flag FROM v ORDER BY id")
    }

    func testAggregatesAndComparisonsComeBackAsSQLiteGivesThem() throws {
        try assertSame("""
            SELECT count(*) AS rows, sum(flag) AS flags, sum(CASE WHEN n < 0 THEN 1 ELSE 0 END) AS negatives,
                   avg(flag) AS share, sum(r) AS total, min(t) AS first, max(id) AS last
            FROM v
            """)
        try assertSame("SELECT id, n > 0 AS positive, t IS NULL AS missing FROM v ORDER BY id")
    }

    func testNumberedPlaceholdersAndTypedNullTests() throws {
        let statement = """
            SELECT id FROM v WHERE (CAST(?1 AS TEXT) IS NULL OR t = ?1) AND (CAST(?2 AS BIGINT) IS NULL OR id <= ?2)
            ORDER BY id
            """
        for values: [SQLValue] in [[.null, .null], [.text(""), .null], [.null, .integer(1)]] {
            try assertSame(statement, values)
        }
    }

    private func assertSame(_ sql: String, _ parameters: [SQLValue] = [], line: UInt = #line) throws {
        let embedded = try sqlite.query(sql, parameters).map(\.values)
        let server = try postgres.read { c in try c.query(sql, parameters).map(\.values) }
        XCTAssertFalse(embedded.isEmpty, line: line)
        XCTAssertEqual(server, embedded, sql, line: line)
    }
}
