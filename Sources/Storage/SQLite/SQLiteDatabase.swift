import Foundation

/// The embedded engine as a ``Database``: one SQLite file in WAL mode, every write through the single
/// ``SQLiteWriter`` (group commit: many units of work, one fsync), reads from a small pool of read-only connections
/// that never wait for the writer, and the write-ahead log copied into the file by a ``SQLiteCheckpointer`` beside
/// the writer rather than by it.
public final class SQLiteDatabase: Database, @unchecked Sendable {
    /// The writer (its batch statistics are what benchmarks report).
    public let writer: SQLiteWriter
    public let location: String
    private let readers: SQLiteReaderPool
    private let checkpointer: SQLiteCheckpointer

    /// Opens (creating if needed) the file at `path`, applies the pending ones of `migrations` and starts the writer.
    /// - Parameters:
    ///   - cacheMiB: the writer's page cache. The writer walks the identity indexes on every resolution; SQLite's
    ///     default 2 MiB is far smaller than they are with a million customers, and a miss costs a read system call
    ///     inside the single writer.
    ///   - checkpointThresholds: when the write-ahead log is copied into the file (``CheckpointThresholds``).
    public init(path: String, synchronous: SynchronousLevel = .full, migrations: [Migration],
                writerMaxBatch: Int = 512, writerQueueCapacity: Int = 50_000, readerConnections: Int = 4,
                cacheMiB: Int = 64, writerName: String = "sqlite-writer",
                checkpointThresholds: CheckpointThresholds = .standard) throws {
        location = path
        let connection = try SQLiteConnection(path: path, synchronous: synchronous)
        do {
            _ = try Migrator.migrate(connection, migrations: migrations)
            try connection.execute("PRAGMA cache_size = -\(cacheMiB * 1024)")
            // Deleted and overwritten content is zeroed where that costs no extra I/O (inside pages still in use);
            // an erasure turns it fully on for its own work (``DatabaseConnection/eraseThoroughly(_:)``).
            try connection.execute("PRAGMA secure_delete = FAST")
            // Thread names stay within Linux's 15 characters: `sqlite-ckpt`, `inbox-ckpt`.
            checkpointer = try SQLiteCheckpointer(path: path, synchronous: synchronous, thresholds: checkpointThresholds,
                                                  name: writerName.replacingOccurrences(of: "-writer", with: "-ckpt"))
        } catch {
            connection.close()
            throw error
        }
        writer = SQLiteWriter(connection: connection, maxBatch: writerMaxBatch, queueCapacity: writerQueueCapacity,
                              name: writerName, checkpointer: checkpointer)
        do {
            readers = try SQLiteReaderPool(path: path, size: readerConnections)
        } catch {
            writer.shutdown()
            checkpointer.stop()
            throw error
        }
    }

    /// Applies the pending ones of `migrations` to the file at `path` without starting anything; the versions
    /// applied.
    public static func migrate(path: String, synchronous: SynchronousLevel = .full,
                               migrations: [Migration]) throws -> [Int] {
        let connection = try SQLiteConnection(path: path, synchronous: synchronous)
        defer { connection.close() }
        return try Migrator.migrate(connection, migrations: migrations)
    }

    public func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        writer.submit({ try work($0) }, completion: completion)
    }

    public func write<T: Sendable>(oneStatement work: @escaping @Sendable (any DatabaseConnection) throws -> T,
                                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        writer.submit(oneStatement: { try work($0) }, completion: completion)
    }

    public func write<T: Sendable>(each works: [@Sendable (any DatabaseConnection) throws -> T],
                                   completion: @escaping @Sendable (Int, Result<T, any Error>) -> Void) {
        writer.submit(each: works.map { work in { try work($0) } }, completion: completion)
    }

    public func write<T: Sendable>(_ work: @escaping @Sendable (any DatabaseConnection) throws -> T) throws -> T {
        try writer.perform { try work($0) }
    }

    /// The heap SQLite holds for this database in the writer and in the readers not busy right now: page caches
    /// (bounded by each connection's `cache_size`) and prepared statements. Waits for the writer to finish what is
    /// queued; for diagnostics (a soak's samples), not for a metrics scrape.
    /// Copies every committed change into the database file and empties the write-ahead log (a `TRUNCATE`
    /// checkpoint), retrying while readers hold old snapshots; after an erasure this leaves no copy of the erased
    /// content in either file. Blocking; throws ``StorageError/checkpointBusy`` when readers never let go.
    public func purgeDeletedContent() throws { try checkpointAndTruncate() }

    public func checkpointAndTruncate(timeout: TimeInterval = 5) throws {
        let connection = try SQLiteConnection(path: location, synchronous: .full)
        defer { connection.close() }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let row = try connection.queryOne("PRAGMA wal_checkpoint(TRUNCATE)", cached: false)
            if row?.int64("busy") == 0 { return }
            guard Date() < deadline else { throw StorageError.checkpointBusy }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    public func memory() -> SQLiteMemory {
        let writing = (try? writer.perform { $0.memory }) ?? .zero
        return writing + readers.sumOverIdle { $0.memory }
    }

    public func read<T>(_ work: (any DatabaseConnection) throws -> T) throws -> T {
        try readers.read { try work($0) }
    }

    public var queuedWrites: Int { writer.queueDepth }

    public var writesRunSideBySide: Bool { false }

    public var recentStorageFailure: (secondsAgo: Double, error: String)? { writer.recentStorageFailure }

    /// Checkpoints run so far beside the writer, and by the writer itself when the log reached its ceiling.
    public var checkpoints: (beside: Int, byWriter: Int) {
        let stats = checkpointer.stats
        return (stats.runs, stats.writerRuns)
    }

    public func close() {
        writer.shutdown()
        readers.close()
        checkpointer.stop()
    }
}

extension SQLiteConnection: DatabaseConnection {
    public var location: String { path }
    public var dialect: SQLDialect { .sqlite }
}

extension SQLiteError: DatabaseError {}
