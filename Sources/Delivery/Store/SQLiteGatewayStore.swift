import Foundation
import GatewayKit
import Storage

/// The embedded store: one SQLite file in WAL mode, every write through the single ``SQLiteWriter`` (group commit),
/// reads from a small pool of read-only connections.
public final class SQLiteGatewayStore: GatewayStore, @unchecked Sendable {
    public let writer: SQLiteWriter
    /// The database file (what ``OutboxDoorbell`` keys dispatchers by).
    public let path: String
    private let readers: SQLiteReaderPool
    private let readiness: StoreSettings

    /// Opens (creating if needed) the database and applies the pending ones of `migrations` (every module's, from
    /// the app).
    public init(config: StoreSettings, migrations: [Migration]) throws {
        path = config.path
        readiness = config
        let level = SynchronousLevel(rawValue: config.synchronous) ?? .full
        let connection = try SQLiteConnection(path: config.path, synchronous: level)
        do {
            _ = try Migrator.migrate(connection, migrations: migrations)
        } catch {
            connection.close()
            throw error
        }
        // The writer walks the identity indexes on every resolution; SQLite's default 2 MiB page cache is far smaller
        // than they are with a million customers, and a miss costs a read syscall inside the single writer.
        try connection.execute("PRAGMA cache_size = -65536")  // 64 MiB
        writer = SQLiteWriter(connection: connection, maxBatch: config.writerMaxBatch,
                              queueCapacity: config.writerQueueCapacity)
        readers = try SQLiteReaderPool(path: config.path, size: config.readerConnections)
    }

    /// Applies pending migrations without starting anything (`gateway migrate`); returns the versions applied.
    public static func migrate(config: StoreSettings, migrations: [Migration]) throws -> [Int] {
        let connection = try SQLiteConnection(path: config.path,
                                              synchronous: SynchronousLevel(rawValue: config.synchronous) ?? .full)
        defer { connection.close() }
        return try Migrator.migrate(connection, migrations: migrations)
    }

    public func appendDelivery(_ delivery: NewDelivery,
                               completion: @escaping @Sendable (Result<AppendOutcome, GatewayError>) -> Void) {
        writer.submit({ connection -> AppendOutcome in
            if try InboxTable.insert(delivery, in: connection) { return .stored }
            guard let first = try InboxTable.storedResponse(dedupeKey: delivery.dedupeKey, in: connection) else {
                throw StoreConsistencyError(detail: "dedupe conflict without a stored row")
            }
            return .duplicate(publicID: first.publicID, responseStatus: first.status, responseBody: first.body)
        }, completion: { result in
            completion(result.mapError(Self.gatewayError))
        })
    }

    public func pendingDeliveries(limit: Int) throws -> [StoredDelivery] {
        try readers.read { connection in
            try connection.query(
                "SELECT id, public_id, source, body, attempts FROM inbox WHERE status = 'pending' ORDER BY id LIMIT ?",
                [.integer(Int64(limit))]
            ).compactMap { row in
                guard let id = row.int64("id"), let publicID = row.string("public_id"),
                      let source = row.string("source").map(InboxSource.init(rawValue:))
                else { return nil }
                return StoredDelivery(id: id, publicID: publicID, source: source, body: row.blob("body") ?? [],
                                      attempts: row.int("attempts") ?? 0)
            }
        }
    }

    public func recordNormalizations(_ results: [DeliveryNormalization]) throws -> [NormalizationOutcome] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return try writer.perform { connection in
            try results.map { normalization in
                do {
                    return try connection.savepoint { try Self.record(normalization, now: now, in: connection) }
                } catch let error as SQLiteError where !error.isStorageFailure && !error.isBusy {
                    // Unrecordable (a constraint or a bug): mark it failed so it never blocks the deliveries behind it.
                    try Self.markFailed(normalization.delivery.id, reason: "could not record: \(error)", now: now,
                                        in: connection)
                    return NormalizationOutcome(failed: 1)
                }
            }
        }
    }

    private static func markFailed(_ deliveryID: Int64, reason: String, now: Int64,
                                   in connection: SQLiteConnection) throws {
        try connection.run("""
            UPDATE inbox SET status = 'failed', attempts = attempts + 1, last_error = ?, processed_at = ?
            WHERE id = ? AND status = 'pending'
            """, [.text(reason), .integer(now), .integer(deliveryID)])
    }

    private static func record(_ normalization: DeliveryNormalization, now: Int64,
                               in connection: SQLiteConnection) throws -> NormalizationOutcome {
        let deliveryID = normalization.delivery.id
        var outcome = NormalizationOutcome()
        guard let normalized = normalization.result else {
            try markFailed(deliveryID, reason: normalization.failure ?? "unknown", now: now, in: connection)
            outcome.failed = 1
            return outcome
        }
        for item in normalized.items {
            try connection.run("""
                INSERT INTO inbox_items (inbox_id, kind, dedupe_key, occurred_at, payload, status, created_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?)
                ON CONFLICT (dedupe_key) DO NOTHING
                """, [.integer(deliveryID), .text(item.kind), .text(item.dedupeKey),
                      SQLValue(item.occurredAt), .text(JSONWriter.string(item.payload)), .integer(now)])
            if connection.changes == 1 { outcome.stored += 1 } else { outcome.duplicates += 1 }
        }
        for failure in normalized.failures {
            try connection.run("""
                INSERT INTO inbox_items (inbox_id, kind, payload, status, error, path, created_at)
                VALUES (?, 'invalid', ?, 'failed', ?, ?, ?)
                """, [.integer(deliveryID), .text(JSONWriter.string(failure.raw)), .text(failure.error),
                      .text(failure.path), .integer(now)])
            outcome.failed += 1
        }
        try connection.run("""
            UPDATE inbox SET status = 'processed', attempts = attempts + 1, processed_at = ?
            WHERE id = ? AND status = 'pending'
            """, [.integer(now), .integer(deliveryID)])
        return outcome
    }

    public func inboxDepth() throws -> Int {
        try readers.read { connection in
            try connection.queryOne("SELECT count(*) AS n FROM inbox WHERE status = 'pending'")?.int("n") ?? 0
        }
    }

    /// Runs `body` on a read-only connection (WAL snapshot): for readers of tables other modules own, such as the
    /// outbox and dead letters, whose SQL lives with them.
    public func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try readers.read(body)
    }

    public func notReadyReason() -> String? {
        let now = String(Int64(Date().timeIntervalSince1970))
        let probe = Result { try writer.perform { connection in
            try connection.run("""
                INSERT INTO gateway_meta (key, value) VALUES ('readiness_probe', ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, [.text(now)])
        } }
        if case .failure(let error) = probe { return "the store cannot commit: \(error)" }
        if let failure = writer.recentStorageFailure,
           failure.secondsAgo * 1000 < Double(readiness.readinessFailureWindowMilliseconds) {
            return "a write failed \(Int(failure.secondsAgo)) s ago: \(failure.error)"
        }
        if let free = FreeSpace.bytes(near: path), free < Int64(readiness.readinessMinFreeMiB) << 20 {
            return "\(free >> 20) MiB free on the database's disk, under store.readiness_min_free_mib "
                + "(\(readiness.readinessMinFreeMiB) MiB)"
        }
        return nil
    }

    public func close() {
        writer.shutdown()
        readers.close()
    }

    /// Storage failures become 503s; anything else from the store is a bug, not the client's fault.
    public static func gatewayError(_ error: any Error) -> GatewayError {
        switch error {
        case StorageError.overloaded: return .overloaded
        case let sqlite as SQLiteError: return .storeUnavailable(sqlite.isStorageFailure || sqlite.isBusy
                                                                 ? "database write failed" : "database error")
        default: return .storeUnavailable(String(describing: error))
        }
    }
}

/// The store found itself in a state its own constraints should have prevented.
package struct StoreConsistencyError: Error, CustomStringConvertible {
    package let detail: String
    package init(detail: String) { self.detail = detail }
    package var description: String { detail }
}
