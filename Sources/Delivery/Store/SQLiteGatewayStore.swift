import Foundation
import GatewayKit
import Storage

/// The embedded store: an ``SQLiteDatabase`` (one file in WAL mode, every write through the single group-committing
/// writer, reads from a pool of read-only connections), the inbox log in a second file with a writer of its own, and
/// their readiness, which includes the disk the files are on.
public final class SQLiteGatewayStore: GatewayStore, @unchecked Sendable {
    public let sqlite: SQLiteDatabase
    public var database: any Database { sqlite }
    /// The inbox log's database.
    public let log: SQLiteDatabase
    public let inboxLog: InboxLog
    /// The single writer (its batch statistics are what benchmarks report).
    public var writer: SQLiteWriter { sqlite.writer }
    /// The database file.
    public var path: String { sqlite.location }
    private let readiness: StoreSettings

    /// Opens (creating if needed) the database and applies the pending ones of `migrations` (every module's, from
    /// the app).
    public init(config: StoreSettings, migrations: [Migration]) throws {
        readiness = config
        sqlite = try SQLiteDatabase(path: config.path, synchronous: Self.level(config), migrations: migrations,
                                    writerMaxBatch: config.writerMaxBatch,
                                    writerQueueCapacity: config.writerQueueCapacity,
                                    readerConnections: config.readerConnections)
        do {
            // Appends are small and go out in order: a small page cache serves them.
            log = try SQLiteDatabase(path: config.resolvedInboxPath, synchronous: Self.level(config),
                                     migrations: InboxLog.migrations, writerMaxBatch: config.writerMaxBatch,
                                     writerQueueCapacity: config.writerQueueCapacity,
                                     readerConnections: config.readerConnections, cacheMiB: 8,
                                     writerName: "inbox-writer")
        } catch {
            sqlite.close()
            throw error
        }
        inboxLog = InboxLog(database: log)
    }

    /// Applies pending migrations without starting anything (`gateway migrate`); returns the versions applied.
    public static func migrate(config: StoreSettings, migrations: [Migration]) throws -> [Int] {
        _ = try SQLiteDatabase.migrate(path: config.resolvedInboxPath, synchronous: level(config),
                                       migrations: InboxLog.migrations)
        return try SQLiteDatabase.migrate(path: config.path, synchronous: level(config), migrations: migrations)
    }

    private static func level(_ config: StoreSettings) -> SynchronousLevel {
        SynchronousLevel(rawValue: config.synchronous) ?? .full
    }

    public func notReadyReason() -> String? {
        if let reason = StoreReadiness.notReadyReason(of: database, settings: readiness) { return reason }
        if let reason = StoreReadiness.notReadyReason(of: inboxLog, settings: readiness) { return "inbox log: " + reason }
        if let free = FreeSpace.bytes(near: path), free < Int64(readiness.readinessMinFreeMiB) << 20 {
            return "\(free >> 20) MiB free on the database's disk, under store.readiness_min_free_mib "
                + "(\(readiness.readinessMinFreeMiB) MiB)"
        }
        return nil
    }

    public func close() {
        log.close()
        sqlite.close()
    }
}
