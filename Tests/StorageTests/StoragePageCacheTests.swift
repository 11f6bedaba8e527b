import CSQLitePageCache
import Foundation
import Storage
import XCTest

/// The page cache wrapper: it skips SQLite's end-of-transaction truncation only when no cached page can be past it, so
/// B-tree balancing (which renumbers pages through the lock-byte page's number) no longer costs a whole-cache scan —
/// and the content stays exactly what was committed, also when a rolled-back transaction had grown the file.
final class StoragePageCacheTests: StorageTestCase {
    private func open() throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: databasePath())
        addTeardownBlock { connection.close() }
        try connection.execute("PRAGMA cache_size = -16384")
        try connection.execute("CREATE TABLE keyed (id INTEGER PRIMARY KEY, key BLOB NOT NULL UNIQUE, body BLOB)")
        return connection
    }

    /// Random keys split index pages all over the tree: balancing renumbers pages in most transactions, and the
    /// truncation after each commit finds nothing past the file's end.
    func testTransactionsThatSplitPagesSkipTheTruncationAndKeepEveryRow() throws {
        let connection = try open()
        var generator = SystemRandomNumberGenerator()
        var keys: Set<[UInt8]> = []
        let skippedBefore = gw_sqlite_page_cache_truncations_skipped()
        for _ in 0..<40 {
            try connection.transaction {
                for _ in 0..<250 {
                    let key = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
                    keys.insert(key)
                    try connection.run("INSERT OR IGNORE INTO keyed (key, body) VALUES (?, ?)",
                                       [.blob(key), .blob([UInt8](repeating: 7, count: 300))])
                }
            }
        }
        XCTAssertGreaterThan(gw_sqlite_page_cache_truncations_skipped() - skippedBefore, 30)
        XCTAssertEqual(try connection.queryOne("PRAGMA integrity_check")?[0], .text("ok"))
        let stored = Set(try connection.query("SELECT key FROM keyed").compactMap { $0.blob("key") })
        XCTAssertEqual(stored, keys)
        let reopened = try SQLiteConnection(path: databasePath(), readOnly: true)
        defer { reopened.close() }
        XCTAssertEqual(try reopened.queryOne("SELECT count(*) FROM keyed")?[0], .integer(Int64(keys.count)))
    }

    /// A rolled-back transaction that grew the file leaves pages past its end in the cache: that truncation is passed
    /// on, and what is read and written afterwards is the committed content only.
    func testPagesOfARolledBackGrowthLeaveTheCache() throws {
        struct Undo: Error {}
        let connection = try open()
        try connection.transaction {
            for id in 1...200 {
                try connection.run("INSERT INTO keyed (id, key, body) VALUES (?, ?, ?)",
                                   [.integer(Int64(id)), .blob(Array("kept-\(id)".utf8)), .blob([1])])
            }
        }
        let pages = try connection.queryOne("PRAGMA page_count")?[0]
        let passedBefore = gw_sqlite_page_cache_truncations_passed()
        XCTAssertThrowsError(try connection.transaction { () throws -> Void in
            for id in 201...2_000 {
                try connection.run("INSERT INTO keyed (id, key, body) VALUES (?, ?, ?)",
                                   [.integer(Int64(id)), .blob(Array("undone-\(id)".utf8)),
                                    .blob([UInt8](repeating: 9, count: 1_000))])
            }
            throw Undo()
        })
        XCTAssertGreaterThan(gw_sqlite_page_cache_truncations_passed(), passedBefore)
        XCTAssertEqual(try connection.queryOne("PRAGMA page_count")?[0], pages)
        XCTAssertEqual(try connection.queryOne("SELECT count(*) FROM keyed")?[0], .integer(200))
        try connection.transaction {
            for id in 201...600 {
                try connection.run("INSERT INTO keyed (id, key, body) VALUES (?, ?, ?)",
                                   [.integer(Int64(id)), .blob(Array("later-\(id)".utf8)),
                                    .blob([UInt8](repeating: 3, count: 1_000))])
            }
        }
        XCTAssertEqual(try connection.queryOne("PRAGMA integrity_check")?[0], .text("ok"))
        XCTAssertEqual(try connection.queryOne("SELECT count(*) FROM keyed WHERE key LIKE 'undone-%'")?[0], .integer(0))
        XCTAssertEqual(try connection.queryOne("SELECT count(*) FROM keyed")?[0], .integer(600))
    }
}
