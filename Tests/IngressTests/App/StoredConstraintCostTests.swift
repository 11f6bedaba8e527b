import Delivery
import Ingress
import Storage
import XCTest

/// The gateway's tables as SQLite stores them: writing a row never builds a temporary b-tree to check it (an
/// enumerated `CHECK … IN (…)` of three or more values, or a partial index over one, does — a few microseconds per
/// row on the one writer thread). A migration that adds such a list in a form the store cannot rewrite fails here.
/// Nor does a new ticket or ticket message fire a trigger: SQLite gives a statement that fires one a journal of every
/// page it changes, and those two inserts come with nearly every inbound message (what a trigger would write there
/// is written by the inserting code, see `TicketOpeningObserver`).
final class StoredConstraintCostTests: XCTestCase {
    func testNoTableBuildsATemporaryBTreeToCheckARow() throws {
        var tables = 0
        for migrations in [GatewaySchema.migrations, InboxLog.migrations] {
            let connection = try SQLiteConnection(path: ":memory:")
            defer { connection.close() }
            _ = try Migrator.migrate(connection, migrations: migrations)
            let names = try connection.query("""
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                """).compactMap { $0.string("name") }
            for name in names {
                // Compiled, not run: the program lists every constraint and partial index a new row is checked by.
                let plan = try connection.query("EXPLAIN INSERT INTO \"\(name)\" DEFAULT VALUES")
                XCTAssertFalse(plan.contains { $0.string("opcode") == "OpenEphemeral" },
                               "a row of \(name) is checked with a temporary b-tree")
                tables += 1
            }
        }
        XCTAssertGreaterThan(tables, 40, "the schema was read")
    }

    func testANewTicketOrTicketMessageFiresNoTrigger() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        defer { connection.close() }
        _ = try Migrator.migrate(connection, migrations: GatewaySchema.migrations)
        let triggers = try connection.query("""
            SELECT name FROM sqlite_master
            WHERE type = 'trigger' AND tbl_name IN ('tickets', 'ticket_messages') AND sql LIKE '%AFTER INSERT%'
            """).compactMap { $0.string("name") }
        XCTAssertEqual(triggers, [])
        let all = try connection.queryOne("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger'")
        XCTAssertGreaterThan(all?.int("n") ?? 0, 5, "the schema's triggers were read")
    }
}
