import Foundation
import GatewayTesting
import Storage
import XCTest

/// Migration 15 on a store that already holds outbox rows: each live row gets the time it was first due, which the
/// retry horizon and the oldest-pending gauge count from; delivered rows are left alone.
final class OutboxFirstDueMigrationTests: XCTestCase {
    func testLiveRowsGetTheirFirstDueTime() throws {
        let database = try DatabaseBeforeMigration(version: 15)
        let connection = database.connection
        try connection.execute("""
            INSERT INTO outbox (id, endpoint, method, path, headers, body, idempotency_key, created_at, status,
                                attempts, next_attempt_at, lease_owner, delivered_at)
            VALUES (1, 'sink', 'POST', '', '', x'', 'queued', 1000, 'pending', 0, 1000, NULL, NULL),
                   (2, 'sink', 'POST', '', '', x'', 'scheduled', 1000, 'pending', 0, 9000, NULL, NULL),
                   (3, 'sink', 'POST', '', '', x'', 'retrying', 1000, 'pending', 2, 50000, NULL, NULL),
                   (4, 'sink', 'POST', '', '', x'', 'claimed', 2000, 'in_flight', 0, 62000, 'dispatcher-x', NULL),
                   (5, 'sink', 'POST', '', '', x'', 'delivered', 3000, 'delivered', 1, 3000, NULL, 3100);
            """)
        XCTAssertEqual(try database.migrate().first, 15, "this migration first, then any later ones")
        let rows = try connection.query("SELECT idempotency_key AS key, first_due_at FROM outbox ORDER BY id")
        XCTAssertEqual(rows.map { $0.string("key") }, ["queued", "scheduled", "retrying", "claimed", "delivered"])
        XCTAssertEqual(rows.map { $0.int64("first_due_at") }, [1000, 9000, 1000, 2000, nil])
        XCTAssertEqual(try connection.query("""
            EXPLAIN QUERY PLAN SELECT min(first_due_at) FROM outbox
            WHERE endpoint = 'sink' AND status IN ('pending', 'in_flight') AND delivered_at IS NULL
            """).compactMap { $0.string("detail") }.contains { $0.contains("outbox_first_due") }, true,
                       "the gauge's lookup is an index seek")
    }
}
