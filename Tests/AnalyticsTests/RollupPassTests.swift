@testable import Analytics
import Foundation
import GatewayKit
import Ingress
import Storage
import XCTest

/// On the embedded engine a rollup pass is read on a reader's snapshot and written by the writer later: the writer
/// writes it only if it still describes the store — no other pass wrote since, the marks at the renewals read — and
/// reads the pass again itself otherwise, so a change committed in between is neither lost nor counted twice.
final class RollupPassTests: XCTestCase {
    private var directory: URL!
    private var database: SQLiteDatabase!
    private let utc = TimeZone(identifier: "UTC")!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rollup-pass-\(UUID().uuidString)")
        database = try SQLiteDatabase(path: directory.appendingPathComponent("gateway.sqlite").path,
                                      migrations: GatewaySchema.migrations)
    }

    override func tearDownWithError() throws {
        database.close()
        try? FileManager.default.removeItem(at: directory)
    }

    func testAMarkedTicketChangedAgainRenewsItsMark() throws {
        let id = try ticket()
        XCTAssertEqual(try renewal(of: id), 0)
        try setStatus("pending", of: id)
        try setStatus("open", of: id)
        XCTAssertEqual(try renewal(of: id), 2)
        try database.write { c in
            try c.run("""
                INSERT INTO csat_surveys (ticket_id, resolution, ticket_ref, conversation_key, outbound_message_id,
                    ticket_message_id, sent_at, expires_at)
                VALUES (?, 1, 'T-1', 'k', 0, 0, 1000, 2000)
                """, [.integer(id)])
        }
        XCTAssertEqual(try renewal(of: id), 3, "a survey renews the mark too")
    }

    func testAPassReadOnASnapshotIsWrittenWhenNothingChanged() throws {
        let id = try ticket()
        let pass = try XCTUnwrap(readOnSnapshot())
        XCTAssertEqual(pass.ids, [id])
        XCTAssertTrue(try database.write { c in try pass.isCurrent(in: c) })
        try database.write { c in try pass.write(in: c) }
        XCTAssertEqual(try count("analytics_dirty_tickets"), 0)
        XCTAssertEqual(try recordedEnd(of: id), nil, "an open ticket has not ended")
        XCTAssertEqual(try count("analytics_ticket_facts"), 1)
    }

    func testAChangeCommittedAfterTheReadingMakesTheWriterReadAgain() throws {
        let id = try ticket()
        let pass = try XCTUnwrap(readOnSnapshot())
        try setStatus("resolved", of: id)
        XCTAssertFalse(try database.write { c in try pass.isCurrent(in: c) })

        XCTAssertEqual(try rollups().catchUp(), 1)
        XCTAssertEqual(try count("analytics_dirty_tickets"), 0)
        XCTAssertNotNil(try recordedEnd(of: id), "the resolution is rolled up, not lost")
    }

    func testAPassWrittenByAnotherSinceMakesTheWriterReadAgain() throws {
        let id = try ticket()
        let stale = try XCTUnwrap(readOnSnapshot())
        XCTAssertEqual(try rollups().catchUp(), 1)
        try setStatus("resolved", of: id)
        // The mark is new (renewal 0 again), but the recorded fact the stale pass read is not the one stored now.
        XCTAssertFalse(try database.write { c in try stale.isCurrent(in: c) })
        XCTAssertEqual(try rollups().catchUp(), 1)
        XCTAssertEqual(try database.read { c in
            try c.queryOne("SELECT sum(opened) AS n FROM analytics_ticket_days WHERE dimension = 'all' AND span = 'd'")
        }?.int("n"), 1, "the ticket counts once")
    }

    func testAMarkRemovedAndMadeAgainSinceTheReadingMakesTheWriterReadAgain() throws {
        let id = try ticket()
        XCTAssertEqual(try rollups().catchUp(), 1)
        try setStatus("open", of: id)  // marks the ticket; its figures stay as recorded
        let stale = try XCTUnwrap(readOnSnapshot())
        XCTAssertEqual(try rollups().catchUp(), 1)  // removes that mark
        try setStatus("resolved", of: id)  // a new mark, at renewal 0 again
        XCTAssertEqual(try renewal(of: id), 0)
        XCTAssertFalse(try database.write { c in try stale.isCurrent(in: c) },
                       "the stale pass would remove the new mark with nothing rolled up")
        XCTAssertEqual(try rollups().catchUp(), 1)
        XCTAssertNotNil(try recordedEnd(of: id))
    }

    // MARK: - Helpers

    private func rollups() -> AnalyticsRollups {
        AnalyticsRollups(database: database, settings: AnalyticsSettings(), metrics: MetricsRegistry(),
                         log: EventLog(minimum: .error), clock: { 5_000_000 })
    }

    private func readOnSnapshot() throws -> RollupPass? {
        try database.read { c in try c.readTransaction { try RollupPass.read(limit: 500, timeZone: utc, in: c) } }
    }

    /// A new conversation ticket, marked as the workflow marks the tickets it opens.
    private func ticket() throws -> Int64 {
        try XCTUnwrap(database.write { c in
            let id = try XCTUnwrap(c.queryOne("""
                INSERT INTO tickets (unique_id, name, status, source, origin, created_at, updated_at, channel, kind,
                    queue)
                VALUES (?, 'rollup', 'open', 'whatsapp', 'whatsapp', 1000000, 1000000, 'whatsapp', 'support',
                    'support')
                RETURNING id
                """, [.text(UUID().uuidString)])?.int64("id"))
            try AnalyticsMarks.mark(ticket: id, in: c)
            return id
        })
    }

    private func setStatus(_ status: String, of id: Int64) throws {
        try database.write { c in
            try c.run("""
                UPDATE tickets SET status = ?, resolved_at = CASE WHEN ? = 'resolved' THEN 2000000 END WHERE id = ?
                """, [.text(status), .text(status), .integer(id)])
        }
    }

    private func renewal(of id: Int64) throws -> Int64? {
        try database.read { c in
            try c.queryOne("SELECT renewal FROM analytics_dirty_tickets WHERE ticket_id = ?", [.integer(id)])
        }?.int64("renewal")
    }

    private func recordedEnd(of id: Int64) throws -> Int64? {
        try database.read { c in
            try c.queryOne("SELECT ended_at FROM analytics_ticket_facts WHERE ticket_id = ?", [.integer(id)])
        }?.int64("ended_at")
    }

    private func count(_ table: String) throws -> Int? {
        try database.read { c in try c.queryOne("SELECT count(*) AS n FROM \(table)") }?.int("n")
    }
}
