import Delivery
import GatewayTestSupport
import Ingress
import Storage
import XCTest

/// Which changes of a ticket queue it for the rollups: a change of a column the figures read (`ticket_figures`) or a
/// new version of the ticket; not the bookkeeping of nearly every inbound message (the time of the customer's newest
/// message, outlet resolution finding nothing), which changes no figure.
final class AnalyticsMarkTests: XCTestCase {
    func testWhatTheFiguresReadMarksTheTicketAndMessageBookkeepingDoesNot() throws {
        let gateway = try TestGateway(clockStart: AnalyticsFixture.at("2026-11-10T12:00:00+08:00"))
        let id = try AnalyticsFixture(gateway: gateway).ticket(.init(opened: "2026-11-02T10:00:00+08:00"))
        let database = gateway.app.store.database
        let figureColumns = try database.write { c in
            try c.queryOne("SELECT * FROM ticket_figures WHERE ticket_id = ?", [.integer(id)])?.columnNames ?? []
        }
        XCTAssertTrue(figureColumns.contains("status"))
        // Each update and its check in one transaction: the rollups drain the queue meanwhile.
        func marks(_ update: String) throws -> Bool {
            try database.write { c in
                try c.run("DELETE FROM analytics_dirty_tickets")
                try c.run(update, [.integer(id)])
                return try c.queryOne("SELECT count(*) AS n FROM analytics_dirty_tickets WHERE ticket_id = ?",
                                      [.integer(id)])?.int("n") == 1
            }
        }
        // The view's filter (deleted_at) and the version count as much as the columns it shows.
        for column in figureColumns.filter({ $0 != "ticket_id" }) + ["deleted_at", "version"] {
            XCTAssertTrue(try marks("UPDATE tickets SET \(column) = \(column) WHERE id = ?"), column)
        }
        XCTAssertFalse(try marks("UPDATE tickets SET last_customer_message_at = 1 WHERE id = ?"))
        XCTAssertFalse(try marks("UPDATE tickets SET outlet_status = 'unlinked' WHERE id = ?"))
    }
}
