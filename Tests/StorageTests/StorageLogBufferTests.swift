import Foundation
@testable import Storage
import XCTest

/// A connection that syncs the write-ahead log at every commit (`synchronous` FULL, the gateway's default) gathers the
/// log's appends in memory and writes them in a few large pieces when SQLite syncs; the files on disk read exactly as
/// if every write had gone straight to them — for other connections, for the writer reading back pages it spilled
/// mid-transaction, after a rollback, and for a copy of the files taken the moment a commit returned (what `kill -9`
/// leaves behind).
final class StorageLogBufferTests: StorageTestCase {
    private struct Undo: Error {}

    /// Write system calls this thread has made so far (Linux's per-thread I/O accounting).
    private func writeCalls() throws -> Int {
        let text = try String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix("syscw:") }
        return try XCTUnwrap(line.flatMap { Int($0.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)) })
    }

    private func open(_ name: String = "test.sqlite", synchronous: SynchronousLevel = .full) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: databasePath(name), synchronous: synchronous)
        addTeardownBlock { connection.close() }
        try connection.execute("CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
        return connection
    }

    private static func body(_ id: Int, _ version: Int) -> SQLValue {
        .blob([UInt8](repeating: UInt8((id * 7 + version) % 251), count: 1_500))
    }

    private func insert(_ ids: ClosedRange<Int>, version: Int = 0, into connection: SQLiteConnection) throws {
        for id in ids {
            try connection.run("INSERT OR REPLACE INTO pages (id, body) VALUES (?, ?)",
                               [.integer(Int64(id)), Self.body(id, version)])
        }
    }

    /// The rows as (id, first byte of the body, its length), to compare what connections see.
    private func contents(_ connection: SQLiteConnection) throws -> [[Int]] {
        try connection.query("SELECT id, body FROM pages ORDER BY id").map { row in
            let body = row.blob("body") ?? []
            return [row.int("id") ?? -1, Int(body.first ?? 0), body.count]
        }
    }

    private func integrity(_ connection: SQLiteConnection) throws -> String? {
        try connection.queryOne("PRAGMA integrity_check", cached: false)?.string("integrity_check")
    }

    func testACommitWritesItsLogInAFewLargeWritesAtFullButFrameByFrameAtNormal() throws {
        // ~300 pages: SQLite writes each frame as its header and its page, two calls each.
        let full = try open("full.sqlite")
        var before = try writeCalls()
        try full.transaction { try insert(1...600, into: full) }
        let gathered = try writeCalls() - before
        XCTAssertLessThan(gathered, 30, "the log written in pieces of ~120 KiB")

        let normal = try open("normal.sqlite", synchronous: .normal)
        before = try writeCalls()
        try normal.transaction { try insert(1...600, into: normal) }
        let direct = try writeCalls() - before
        XCTAssertGreaterThan(direct, 500, "without a sync at the commit, every frame goes to the file as it is written")
        XCTAssertEqual(try contents(full), try contents(normal))
    }

    func testPagesSpilledMidTransactionReadBackAndARollbackLeavesTheCommittedRows() throws {
        let writer = try open()
        // A cache of a few pages: the transactions below spill changed pages to the log long before they commit,
        // and read them back from it.
        try writer.execute("PRAGMA cache_size = 8")
        try writer.transaction { try insert(1...400, into: writer) }
        try writer.transaction {
            try insert(1...400, version: 1, into: writer)
            try insert(401...500, into: writer)
        }
        let reader = try SQLiteConnection(path: databasePath(), readOnly: true)
        addTeardownBlock { reader.close() }
        let committed = try contents(writer)
        XCTAssertEqual(committed.count, 500)
        XCTAssertEqual(committed[0], [1, Int(UInt8((1 * 7 + 1) % 251)), 1_500])
        XCTAssertEqual(try contents(reader), committed)

        XCTAssertThrowsError(try writer.transaction { () throws -> Void in
            try insert(1...500, version: 2, into: writer)
            try insert(501...900, into: writer)
            throw Undo()
        })
        XCTAssertEqual(try contents(writer), committed)
        XCTAssertEqual(try contents(reader), committed)

        // The next transaction writes its frames over the undone ones' place in the log.
        try writer.transaction { try insert(501...520, version: 3, into: writer) }
        XCTAssertEqual(try contents(reader).count, 520)
        XCTAssertEqual(try integrity(reader), "ok")
    }

    func testTheFilesCopiedRightAfterACommitHoldIt() throws {
        let writer = try open()
        try writer.transaction { try insert(1...300, into: writer) }
        try writer.transaction { try insert(100...350, version: 1, into: writer) }
        let expected = try contents(writer)
        // What a process killed right now leaves on disk: the database file and its log, nothing from memory.
        let copy = databasePath("copy.sqlite")
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: databasePath() + suffix, toPath: copy + suffix)
        }
        let recovered = try SQLiteConnection(path: copy)
        addTeardownBlock { recovered.close() }
        XCTAssertEqual(try contents(recovered), expected)
        XCTAssertEqual(try integrity(recovered), "ok")
    }

    func testAPathWithCharactersAURIGivesAMeaningOpensTheFileItNames() throws {
        let name = "odd ?name#1 100%.sqlite"
        let writer = try open(name)
        try writer.transaction { try insert(1...3, into: writer) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: databasePath(name)))
        XCTAssertTrue(FileManager.default.fileExists(atPath: databasePath(name) + "-wal"))
        let reader = try SQLiteConnection(path: databasePath(name), readOnly: true)
        addTeardownBlock { reader.close() }
        XCTAssertEqual(try contents(reader).map(\.[0]), [1, 2, 3])
        XCTAssertEqual(SQLiteConnection.bufferedLogURI("/a/b?c#d%e"), "file:///a/b%3Fc%23d%25e?gateway_wal_buffer=1")
        XCTAssertEqual(SQLiteConnection.bufferedLogURI("rel/x.db"), "file:rel/x.db?gateway_wal_buffer=1")
    }
}
