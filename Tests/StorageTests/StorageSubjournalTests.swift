import CSQLite
import Foundation
import Storage
import XCTest

/// Savepoints undo exactly their own changes with the gateway's in-memory sub-journal: large ones (the journal
/// grows far past its first buffer), nested ones, and again in later transactions that reuse the thread's buffer.
final class StorageSubjournalTests: StorageTestCase {
    private struct Undo: Error {}
    private static let rows = 400

    private func open() throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: databasePath())
        addTeardownBlock { connection.close() }
        try connection.execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
        try connection.transaction {
            for id in 1...Self.rows {
                try connection.run("INSERT INTO pages (id, body) VALUES (?, ?)", [.integer(Int64(id)), Self.body(id, 0)])
            }
        }
        return connection
    }

    /// About half a page per row: every row of an update is a journaled page of its own every other row.
    private static func body(_ id: Int, _ version: Int) -> SQLValue {
        .blob([UInt8](repeating: UInt8((id * 7 + version) % 251), count: 2_000))
    }

    private func versions(_ connection: SQLiteConnection) throws -> [Int: [UInt8]] {
        Dictionary(uniqueKeysWithValues: try connection.query("SELECT id, body FROM pages").compactMap { row in
            row.int("id").map { ($0, row.blob("body") ?? []) }
        })
    }

    private func expected(_ version: (Int) -> Int) -> [Int: [UInt8]] {
        Dictionary(uniqueKeysWithValues: (1...Self.rows).map { id in
            guard case .blob(let bytes) = Self.body(id, version(id)) else { return (id, []) }
            return (id, bytes)
        })
    }

    func testConnectionsUseTheGatewaysJournalFileSystem() throws {
        _ = try open()
        XCTAssertEqual(sqlite3_vfs_find(nil).map { String(cString: $0.pointee.zName) }, "gateway")
    }

    func testLargeAndNestedSavepointsUndoExactlyTheirOwnChangesTransactionAfterTransaction() throws {
        let connection = try open()
        for round in 1...3 {
            try connection.transaction {
                // A change kept: the first row of this round.
                try connection.savepoint {
                    try connection.run("UPDATE pages SET body = ? WHERE id = 1", [Self.body(1, round)])
                }
                // A large change undone (~0.8 MB of pages journaled), with a nested one undone inside it first.
                XCTAssertThrowsError(try connection.savepoint { () throws -> Void in
                    for id in 1...Self.rows {
                        try connection.run("UPDATE pages SET body = ? WHERE id = ?", [Self.body(id, 100 + round), .integer(Int64(id))])
                    }
                    XCTAssertThrowsError(try connection.savepoint { () throws -> Void in
                        try connection.run("DELETE FROM pages WHERE id % 2 = 0")
                        throw Undo()
                    })
                    XCTAssertEqual(try connection.query("SELECT id FROM pages").count, Self.rows, "the inner undo")
                    throw Undo()
                })
                // A multi-row statement that fails half-way is undone alone (the statement journal).
                XCTAssertThrowsError(try connection.run("UPDATE pages SET id = id + 200 WHERE id > 100"))
            }
            XCTAssertEqual(try versions(connection), expected { $0 == 1 ? round : 0 }, "round \(round)")
        }
    }
}
