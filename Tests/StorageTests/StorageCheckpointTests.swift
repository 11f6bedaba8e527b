import Foundation
import Storage
import XCTest

/// The write-ahead log is copied into the database file beside the writer, and stays bounded when that cannot keep
/// up.
final class StorageCheckpointTests: StorageTestCase {
    private static let table = Migration(version: 1, name: "blobs",
                                         sql: "CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
    /// About ten log pages per row.
    private static let body = SQLValue.blob([UInt8](repeating: 7, count: 40_000))

    /// Smaller than the gateway's, so that a few hundred rows cross them.
    private static let thresholds = CheckpointThresholds(beside: 1_000, ceiling: 8_000)

    private func open() throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: databasePath(), migrations: [Self.table],
                                          checkpointThresholds: Self.thresholds)
        addTeardownBlock { database.close() }
        return database
    }

    private func insert(_ rows: Int, into database: SQLiteDatabase) throws {
        for _ in 0..<rows {
            try database.write { try $0.run("INSERT INTO blobs (body) VALUES (?)", [Self.body]) }
        }
    }

    private var logBytes: Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: databasePath() + "-wal")
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    private func waitFor(_ condition: () -> Bool, _ message: String) {
        let deadline = Date().addingTimeInterval(10)
        while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertTrue(condition(), message)
    }

    /// The most a log can hold: the ceiling plus the few transactions that crossed it while the thread beside was
    /// still copying (frames carry a 24-byte header).
    private static let logBound = (Int(thresholds.ceiling) + 100) * (4_096 + 24)

    func testTheLogIsCopiedBesideTheWriterAndStaysBounded() throws {
        let database = try open()
        // ~1,200 pages: past the threshold once, far below the ceiling: only the thread beside can have copied.
        try insert(120, into: database)
        waitFor({ database.checkpoints.beside >= 1 }, "the checkpointer thread copied the log")
        XCTAssertEqual(database.checkpoints.byWriter, 0)
        // ~10,000 pages more without a pause: the log starts over when a copy completes between two of the writer's
        // transactions, at the latest when the writer copies the rest itself at the ceiling.
        try insert(1_000, into: database)
        XCTAssertLessThan(logBytes, Self.logBound, "the log stays bounded (\(logBytes) bytes)")
        XCTAssertGreaterThan(database.checkpoints.beside, 1)
        XCTAssertEqual(try database.read { try $0.queryOne("SELECT count(*) AS n FROM blobs")?.int("n") }, 1_120)
    }

    func testTheWriterCopiesTheLogItselfAtTheCeiling() throws {
        let database = try open()
        try insert(1, into: database)
        // A reader on an old snapshot: no checkpoint can copy past it, so the log only grows.
        let reader = try SQLiteConnection(path: databasePath(), readOnly: true)
        try reader.execute("BEGIN")
        XCTAssertEqual(try reader.query("SELECT id FROM blobs").count, 1)
        try insert(850, into: database)
        XCTAssertGreaterThan(database.checkpoints.byWriter, 0, "past the ceiling the writer checkpoints itself")
        try reader.execute("COMMIT")
        reader.close()
        // With the reader gone the writer's own checkpoint copies everything and the log starts over: what is
        // written next reuses the log from the top instead of growing the file further.
        let grown = logBytes
        XCTAssertGreaterThan(grown, Self.logBound, "the pinned log grew past the ceiling")
        try insert(900, into: database)
        XCTAssertLessThanOrEqual(logBytes, grown + 20 * 4_120,
                                 "the log started over at the ceiling (after the one transaction that was open)")
        XCTAssertEqual(try database.read { try $0.queryOne("SELECT count(*) AS n FROM blobs")?.int("n") }, 1_751)
    }

    func testClosingStopsTheCheckpointerAndKeepsEverything() throws {
        let database = try SQLiteDatabase(path: databasePath(), migrations: [Self.table],
                                          checkpointThresholds: Self.thresholds)
        try insert(150, into: database)
        database.close()
        let reopened = try open()
        XCTAssertEqual(try reopened.read { try $0.queryOne("SELECT count(*) AS n FROM blobs")?.int("n") }, 150)
    }
}
