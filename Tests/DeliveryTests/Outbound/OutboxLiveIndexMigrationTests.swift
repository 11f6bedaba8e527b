import Foundation
import GatewayTesting
import Storage
import XCTest

/// Migration 64 on a store that already holds outbox rows: the indexes of live rows by ordering key and by first due
/// time hold the queued and in-flight rows (not the delivered one), and the lookups that need them — the claim's
/// ordering probe, the retry horizon's expiry and the oldest-pending gauge — are index seeks.
final class OutboxLiveIndexMigrationTests: XCTestCase {
    func testLiveRowIndexesHoldQueuedAndInFlightRows() throws {
        let database = try DatabaseBeforeMigration(version: 64)
        let connection = database.connection
        // (key, status, delivered_at): one row of each state, all of one ordering key.
        for (id, row) in [("queued", "pending", nil), ("claimed", "in_flight", nil), ("done", "delivered", Int64(3100))]
            .enumerated() {
            try connection.run("""
                INSERT INTO outbox (id, endpoint, method, path, headers, body, idempotency_key, ordering_key, created_at,
                                    status, next_attempt_at, delivered_at, first_due_at)
                VALUES (?, 'sink', 'POST', '', '', x'', ?, 'room:1', 1000, ?, 1000, ?, 1000)
                """, [.integer(Int64(id + 1)), .text(row.0), .text(row.1), SQLValue(row.2)])
        }
        XCTAssertEqual(try database.migrate().first, 64, "this migration first, then any later ones")
        func ids(_ index: String, _ condition: String) throws -> [Int64] {
            try connection.query("SELECT id FROM outbox INDEXED BY \(index) WHERE \(condition) ORDER BY id")
                .compactMap { $0.int64("id") }
        }
        XCTAssertEqual(try ids("outbox_ordering", "endpoint = 'sink' AND ordering_key IS NOT NULL AND delivered_at IS NULL"),
                       [1, 2])
        XCTAssertEqual(try ids("outbox_first_due", "endpoint = 'sink' AND delivered_at IS NULL"), [1, 2])
        func plan(_ sql: String) throws -> String {
            try connection.query("EXPLAIN QUERY PLAN " + sql).compactMap { $0.string("detail") }.joined(separator: "; ")
        }
        XCTAssertTrue(try plan("""
            SELECT 1 FROM outbox p WHERE p.endpoint = 'sink' AND p.ordering_key = 'room:1'
              AND p.status IN ('pending', 'in_flight') AND p.delivered_at IS NULL AND p.id < 3
            """).contains("outbox_ordering"), "the claim's ordering probe is an index seek")
        XCTAssertTrue(try plan("""
            SELECT id FROM outbox WHERE endpoint = 'sink' AND status IN ('pending', 'in_flight')
              AND delivered_at IS NULL AND first_due_at <= 5000 ORDER BY first_due_at LIMIT 10
            """).contains("outbox_first_due"), "the retry horizon's expiry is an index seek")
    }
}
