import Foundation
import GatewayTesting
import Storage
import XCTest

/// Migration 12 on a store that already holds renewal cycles and attempts: the `renewals` table is rebuilt for the
/// new status without losing a row, an index or an attempt's reference.
final class RenewalRepliesMigrationTests: XCTestCase {
    func testExistingCyclesAttemptsAndIndexesSurviveTheRebuild() throws {
        let database = try DatabaseBeforeMigration(version: 12)
        let connection = database.connection
        try connection.execute("""
            INSERT INTO renewals (id, oid, fid, due_date, status, stop_reason, renewed_at, new_expiry_date,
                                  renewed_after_reminder, renewed_after_expiry, created_at, updated_at)
            VALUES (3, 'O1', 'F1', '2026-03-15', 'open', NULL, NULL, NULL, NULL, NULL, 10, 11),
                   (7, 'O2', 'F1', '2026-03-20', 'renewed', NULL, 50, '2027-03-20', 1, 0, 20, 50),
                   (9, 'O3', 'F2', '2026-02-01', 'stopped', 'closed', NULL, NULL, NULL, NULL, 30, 31);
            INSERT INTO renewal_attempts (id, renewal_id, offset_days, scheduled_date, phone, template, language,
                                          result, created_at, updated_at)
            VALUES (1, 3, -14, '2026-03-01', '60111000001', 'renewal_reminder_before', 'en', 'sent', 12, 12),
                   (2, 7, -7, '2026-03-13', '60111000002', 'renewal_reminder_before', 'ms', 'sent', 21, 21);
            """)
        let columns = "id, oid, fid, due_date, status, stop_reason, renewed_at, new_expiry_date, "
            + "renewed_after_reminder, renewed_after_expiry, created_at, updated_at"
        let before = try connection.query("SELECT \(columns) FROM renewals ORDER BY id").map(Self.values)
        let attemptsBefore = try connection.query("SELECT * FROM renewal_attempts ORDER BY id").map(Self.values)

        XCTAssertEqual(try database.migrate().first, 12, "this migration first, then any later ones")

        XCTAssertEqual(try connection.query("SELECT \(columns) FROM renewals ORDER BY id").map(Self.values), before)
        XCTAssertEqual(try connection.query("SELECT * FROM renewal_attempts ORDER BY id").map(Self.values),
                       attemptsBefore)
        XCTAssertEqual(try connection.query("SELECT replied_at FROM renewals WHERE replied_at IS NOT NULL").count, 0)
        XCTAssertEqual(try connection.query("PRAGMA foreign_key_check").count, 0)
        XCTAssertEqual(try connection.query("""
            SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'renewals' ORDER BY name
            """).compactMap { $0.string("name") },
                       ["renewals_by_due_date", "renewals_by_status", "sqlite_autoindex_renewals_1"])
        XCTAssertEqual(try connection.queryOne("PRAGMA foreign_keys")?.int("foreign_keys"), 1, "enforced again")

        try connection.run("UPDATE renewals SET status = 'customer_replied', replied_at = 60 WHERE id = 3")
        XCTAssertThrowsError(try connection.run("UPDATE renewals SET status = 'paid' WHERE id = 3"))
        XCTAssertThrowsError(try connection.run("""
            INSERT INTO renewals (oid, fid, due_date, created_at, updated_at) VALUES ('O1', 'F1', '2026-03-15', 0, 0)
            """), "one cycle per outlet and due date, still")
        XCTAssertThrowsError(try connection.run("""
            INSERT INTO renewal_attempts (renewal_id, offset_days, scheduled_date, phone, result, created_at,
                                          updated_at) VALUES (99, -1, '2026-03-14', '', 'skipped_no_phone', 0, 0)
            """), "attempts still reference renewals")
    }

    private static func values(_ row: Row) -> [String] {
        row.columnNames.map { "\($0)=\(row[$0])" }
    }
}
