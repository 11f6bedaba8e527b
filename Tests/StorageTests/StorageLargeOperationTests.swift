import Foundation
import Storage
import XCTest

/// One writer operation may change far more than fits in memory-sized journal pieces: a POS import that renews a
/// third of 100,000 outlets, a retention purge, a migration rebuilding a big table. Every operation runs in a
/// savepoint, so its undo pages go to a statement journal; it must hold them whatever their size, and a failing
/// operation must still roll back alone.
final class StorageLargeOperationTests: StorageTestCase {
    private static let rows = 60_000

    private func filledWriter() throws -> SQLiteWriter {
        let connection = try openConnectionWithTable()
        try connection.execute("""
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < \(Self.rows))
            INSERT INTO t (id, value) SELECT x, 'v' || x || '-' || hex(zeroblob(120)) FROM n
            """)
        let writer = SQLiteWriter(connection: connection)
        addTeardownBlock { writer.shutdown() }
        return writer
    }

    private func checksum(_ writer: SQLiteWriter) throws -> String {
        try writer.perform { try $0.queryOne("SELECT count(*) || ':' || sum(length(value)) || ':' || max(value) AS c FROM t")?
            .string("c") ?? "" }
    }

    func testAnOperationWhoseJournalFarExceedsMemoryPiecesCommits() throws {
        let writer = try filledWriter()
        // Every page of the table changes: tens of MiB of undo pages in one savepoint.
        let changed = try writer.perform { connection -> Int in
            try connection.run("UPDATE t SET value = 'renewed-' || id || '-' || hex(zeroblob(120))")
            return connection.changes
        }
        XCTAssertEqual(changed, Self.rows)
        XCTAssertEqual(try writer.perform { try $0.queryOne("SELECT count(*) AS n FROM t WHERE value LIKE 'renewed-%'")?
            .int("n") }, Self.rows)
    }

    func testALargeOperationThatFailsRollsBackAloneAndLeavesTheDataAsItWas() throws {
        struct Refused: Error {}
        let writer = try filledWriter()
        let before = try checksum(writer)
        XCTAssertThrowsError(try writer.perform { connection -> Void in
            try connection.run("UPDATE t SET value = 'half-done-' || id || '-' || hex(zeroblob(120))")
            throw Refused()
        }) { XCTAssertTrue($0 is Refused, "\($0)") }
        XCTAssertEqual(try checksum(writer), before)
        XCTAssertEqual(try writer.perform { connection -> Int in
            try connection.run("UPDATE t SET value = value || '!' WHERE id % 3 = 0")
            return connection.changes
        }, Self.rows / 3)
    }
}
