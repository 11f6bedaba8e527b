import Analytics
import GatewayKit
import GatewayTestSupport
import Storage
import XCTest

/// On PostgreSQL a ticket can change between a rollup pass's reading of its facts and the pass's removal of the
/// ticket's queue mark (the two run on different connections). The change renews the mark; the pass removes only the
/// mark it read, so the change is rolled up by the next pass instead of being lost.
final class AnalyticsMarkRenewalTests: XCTestCase {
    func testAChangeCommittedDuringAPassStaysQueuedForTheNext() throws {
        let database = try PostgresTestDatabases.create()
        defer { PostgresTestDatabases.drop(database.name) }
        let pass = try PostgresConnection(database.url)
        let agent = try PostgresConnection(database.url)
        try agent.run("""
            INSERT INTO tickets (unique_id, name, source, origin, created_at, updated_at, channel)
            VALUES ('race-1', 'Printer', 'whatsapp', 'test', 1000, 1000, 'whatsapp')
            """)
        let id = try XCTUnwrap(agent.queryOne("SELECT id FROM tickets WHERE unique_id = 'race-1'")?.int64("id"))
        try AnalyticsMarks.mark(ticket: id, in: agent)

        try pass.transaction {
            let read = try XCTUnwrap(pass.queryOne("SELECT renewal FROM analytics_dirty_tickets WHERE ticket_id = ?",
                                                   [.integer(id)]))
            // The agent's change commits while the pass holds what it read.
            try agent.run("UPDATE tickets SET updated_at = 2000, version = version + 1 WHERE id = ?", [.integer(id)])
            try pass.run("DELETE FROM analytics_dirty_tickets WHERE (ticket_id, renewal) IN (VALUES (?, ?))",
                         [.integer(id), read["renewal"]])
        }
        XCTAssertEqual(try agent.queryOne("SELECT count(*) AS n FROM analytics_dirty_tickets WHERE ticket_id = ?",
                                          [.integer(id)])?.int("n"), 1, "the renewed mark stays")

        let rollups = AnalyticsRollups(database: try PostgresDatabase(database.url, poolSize: 2),
                                       settings: AnalyticsSettings(), metrics: MetricsRegistry(),
                                       log: EventLog(minimum: .error), clock: { 3000 })
        XCTAssertEqual(try rollups.catchUp(), 1)
        XCTAssertEqual(try agent.queryOne("SELECT count(*) AS n FROM analytics_dirty_tickets")?.int("n"), 0)
        XCTAssertEqual(try agent.queryOne("SELECT count(*) AS n FROM analytics_ticket_facts WHERE ticket_id = ?",
                                          [.integer(id)])?.int("n"), 1)
    }
}
