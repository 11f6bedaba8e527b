import GatewayKit
import Storage
import Synchronization

/// The acknowledgement's durable log: every verified delivery appended, in a database of its own with a writer of its
/// own, so a burst of webhooks never queues behind domain work and domain work never queues behind a burst. Rows are
/// never rewritten: the normalizer reads them in order after a cursor that it advances in the domain database, in the
/// same transaction as what it records (`GatewayStore+Inbox`). Duplicates are found by a 64-bit hash of the dedupe key,
/// the full key compared on a hit.
public struct InboxLog: Sendable {
    public let database: any Database
    /// Deliveries appended (committed, not duplicates) since the log was opened: how fast webhooks arrive.
    private let appended: AppendCount

    public init(database: any Database) {
        self.database = database
        appended = AppendCount()
    }

    /// Deliveries appended since the log was opened.
    public var appendCount: Int { appended.value.load(ordering: .relaxed) }

    /// Appends `delivery` unless a delivery with its dedupe key is logged; completes after the commit.
    public func append(_ delivery: NewDelivery, completion: @escaping @Sendable (Result<AppendOutcome, any Error>) -> Void) {
        let appended = self.appended
        database.write({ connection -> AppendOutcome in
            let hash = Self.hash(delivery.dedupeKey)
            // One append at a time, also where appends of several instances run side by side (PostgreSQL): a
            // duplicate finds the first, and ids become visible in order — the normalizer's cursor never passes an id
            // whose delivery is still to commit.
            try connection.serialize(on: ["inbox-log-append"])
            for row in try connection.query("""
                SELECT dedupe_key, public_id, response_status, response_body FROM deliveries WHERE dedupe_hash = ?
                """, [.integer(hash)]) where row.string("dedupe_key") == delivery.dedupeKey {
                return .duplicate(publicID: row.string("public_id") ?? delivery.publicID,
                                  responseStatus: row.int("response_status") ?? delivery.responseStatus,
                                  responseBody: row.blob("response_body") ?? [])
            }
            try connection.run("""
                INSERT INTO deliveries (dedupe_hash, dedupe_key, public_id, source, received_at, request_id,
                                        traceparent, body, response_status, response_body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(hash), .text(delivery.dedupeKey), .text(delivery.publicID),
                      .text(delivery.source.rawValue), .integer(delivery.receivedAtMillis), SQLValue(delivery.requestID),
                      SQLValue(delivery.traceparent), .blob(delivery.body), .integer(Int64(delivery.responseStatus)),
                      .blob(delivery.responseBody)])
            return .stored
        }, completion: { result in
            if case .success(.stored) = result { appended.value.add(1, ordering: .relaxed) }
            completion(result)
        })
    }

    /// A tiny write in place: fails when the log cannot commit at all (read-only, broken), not when it is merely full.
    public func probe(now: Int64) throws {
        try database.write { connection in
            try connection.run("""
                INSERT INTO readiness_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at
                """, [.integer(now)])
        }
    }

    /// Up to `limit` deliveries logged after `cursor`, oldest first.
    public func deliveries(after cursor: Int64, limit: Int) throws -> [StoredDelivery] {
        try database.read { connection in
            try connection.query("""
                SELECT id, dedupe_key, public_id, source, received_at, request_id, traceparent, body, response_status,
                       response_body
                FROM deliveries WHERE id > ? ORDER BY id LIMIT ?
                """, [.integer(cursor), .integer(Int64(limit))]).compactMap(Self.delivery)
        }
    }

    /// Deletes up to `limit` deliveries at or before `cursor` (recorded in the domain database) received before
    /// `receivedBefore`; how many. The log keeps them that long only to answer a sender's retry of the same delivery
    /// with the first answer.
    public func prune(through cursor: Int64, receivedBefore: Int64, limit: Int = 10_000) throws -> Int {
        try database.write { connection in
            try connection.run("""
                DELETE FROM deliveries WHERE id IN (
                    SELECT id FROM deliveries WHERE id <= ? AND received_at < ? ORDER BY id LIMIT ?)
                """, [.integer(cursor), .integer(receivedBefore), .integer(Int64(limit))])
            return connection.changes
        }
    }

    /// How many deliveries are logged after `cursor`.
    public func count(after cursor: Int64) throws -> Int {
        try database.read { connection in
            try connection.queryOne("SELECT count(*) AS n FROM deliveries WHERE id > ?",
                                    [.integer(cursor)])?.int("n") ?? 0
        }
    }

    /// When the oldest delivery logged after `cursor` was received (unix ms), nil when there is none.
    public func oldestReceivedAt(after cursor: Int64) throws -> Int64? {
        try database.read { connection in
            try connection.queryOne("SELECT received_at FROM deliveries WHERE id > ? ORDER BY id LIMIT 1",
                                    [.integer(cursor)])?.int64("received_at")
        }
    }

    private static func delivery(_ row: Row) -> StoredDelivery? {
        guard let id = row.int64("id"), let publicID = row.string("public_id"), let key = row.string("dedupe_key"),
              let source = row.string("source").map(InboxSource.init(rawValue:)),
              let receivedAt = row.int64("received_at"), let status = row.int("response_status")
        else { return nil }
        let body = row.blob("body") ?? []
        let logged = NewDelivery(publicID: publicID, source: source, dedupeKey: key, receivedAtMillis: receivedAt,
                                 requestID: row.string("request_id"), traceparent: row.string("traceparent"),
                                 body: body, responseStatus: status, responseBody: row.blob("response_body") ?? [])
        return StoredDelivery(id: id, publicID: publicID, source: source, body: body, attempts: 0, logged: logged)
    }

    /// The key's ``StableHash``, as a signed 64-bit column value.
    static func hash(_ key: String) -> Int64 { StableHash.of(key) }

    /// The log's own schema (a database of its own, so its versions count from 1). Ids never repeat
    /// (`AUTOINCREMENT`): pruning may empty the table, and the cursor must never see a new delivery under an old id.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "inbox log", sql: """
            CREATE TABLE deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                dedupe_hash INTEGER NOT NULL,
                dedupe_key TEXT NOT NULL,
                public_id TEXT NOT NULL,
                source TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                request_id TEXT,
                traceparent TEXT,
                body BLOB NOT NULL,
                response_status INTEGER NOT NULL,
                response_body BLOB NOT NULL
            );
            CREATE INDEX deliveries_by_dedupe_hash ON deliveries (dedupe_hash);
            CREATE TABLE readiness_probe (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                at INTEGER NOT NULL
            );
            """),
    ]
}

/// A count shared by the copies of one ``InboxLog``.
private final class AppendCount: Sendable {
    let value = Atomic<Int>(0)
}
