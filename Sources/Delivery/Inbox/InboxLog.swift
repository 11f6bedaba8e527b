import GatewayKit
import Storage
import Synchronization

/// The acknowledgement's durable log: every verified delivery appended, in a database of its own with a writer of its
/// own, so a burst of webhooks never queues behind domain work and domain work never queues behind a burst. Rows are
/// never rewritten: the normalizer reads them in order (``LogPosition``) after a cursor that it advances in the domain
/// database, in the same transaction as what it records (`GatewayStore+Inbox`). Duplicates are found by a 64-bit hash
/// of the dedupe key, the full key compared on a hit: on the embedded log the first row of each hash holds it in a
/// unique index, so the insert itself finds a hit, and a row of another key under a logged hash is marked as sharing it
/// (``sharedHashes``).
public struct InboxLog: Sendable {
    public let database: any Database
    /// Deliveries appended (committed, not duplicates) since the log was opened: how fast webhooks arrive.
    private let appended: AppendCount
    /// Where appends run side by side: they share transactions (``AppendGroups``); nil on the embedded log.
    private let groups: AppendGroups?

    public init(database: any Database) {
        self.database = database
        let appended = AppendCount()
        self.appended = appended
        guard database.writesRunSideBySide else {
            groups = nil
            return
        }
        groups = AppendGroups(write: { group, completion in
            database.write({ connection in try Self.appendGroup(group, in: connection) }, completion: { result in
                if case .success(let outcomes) = result {
                    appended.value.add(outcomes.count { $0 == .stored }, ordering: .relaxed)
                }
                completion(result)
            })
        }, alone: { pending in
            Self.appendAlone(pending.delivery, database: database, appended: appended, completion: pending.completion)
        })
    }

    /// Deliveries appended since the log was opened.
    public var appendCount: Int { appended.value.load(ordering: .relaxed) }

    /// Appends `delivery` unless a delivery with its dedupe key is logged; completes after the commit.
    public func append(_ delivery: NewDelivery, completion: @escaping @Sendable (Result<AppendOutcome, any Error>) -> Void) {
        if let groups {
            groups.append(AppendGroups.Pending(delivery: delivery, hash: Self.hash(delivery.dedupeKey),
                                               completion: completion))
        } else {
            Self.appendAlone(delivery, database: database, appended: appended, completion: completion)
        }
    }

    /// Appends `delivery` in a transaction of its own. The key's hash and the insert's values are made by the calling
    /// thread (an HTTP worker), not by the writer: every append of a group waits for all of the group's work on the
    /// one writer thread, so what can be done before it shortens the round. On the embedded log the one insert is the
    /// operation's only change, so it runs without a savepoint around it.
    private static func appendAlone(_ delivery: NewDelivery, database: any Database, appended: AppendCount,
                                    completion: @escaping @Sendable (Result<AppendOutcome, any Error>) -> Void) {
        let hash = Self.hash(delivery.dedupeKey)
        let values = columns(delivery, hash: hash)
        database.write(oneStatement: { connection -> AppendOutcome in
            if connection.dialect == .postgres { return try Self.appendSideBySide(delivery, hash: hash, in: connection) }
            // The embedded log's one writer: nothing else appends between the insert and the look after it. The
            // insert does nothing when its hash is logged; only then is the full key compared, and a delivery whose
            // key is not logged under that hash is logged beside the rows that have it.
            try connection.run(insertUnlessHashLogged, values)
            if connection.changes > 0 { return .stored }
            if let first = try Self.firstAnswer(to: delivery, hash: hash, in: connection) { return first }
            try connection.run(insertSharingHash, values)
            return .stored
        }, completion: { result in
            if case .success(.stored) = result { appended.value.add(1, ordering: .relaxed) }
            completion(result)
        })
    }

    /// PostgreSQL, where the appends of every instance (and of the pool's connections) run side by side: the unique
    /// index over (hash, key) finds a duplicate, also one another transaction is appending at this moment — the insert
    /// waits for that one and does nothing if it commits, inserts if it rolls back. Different keys under one hash do
    /// not conflict. A statement after the insert sees the row it conflicted with (`read committed`), unless the
    /// retention pruned it in between: then the delivery is new again.
    static func appendSideBySide(_ delivery: NewDelivery, hash: Int64, in connection: any DatabaseConnection)
        throws -> AppendOutcome {
        for _ in 0..<3 {
            try connection.run(insertUnlessConflicting, columns(delivery, hash: hash))
            if connection.changes > 0 { return .stored }
            if let first = try firstAnswer(to: delivery, hash: hash, in: connection) { return first }
        }
        return try refused(delivery)
    }

    private static func refused(_ delivery: NewDelivery) throws -> AppendOutcome {
        throw StoreConsistencyError(detail: "the inbox log refused \(delivery.dedupeKey) as a duplicate of no row")
    }

    /// What the first delivery with `delivery`'s dedupe key was answered, nil when none is logged.
    static func firstAnswer(to delivery: NewDelivery, hash: Int64, in connection: any DatabaseConnection)
        throws -> AppendOutcome? {
        let sql = connection.dialect == .postgres ? answersByHash : answersByHashEitherIndex
        let parameters: [SQLValue] = connection.dialect == .postgres ? [.integer(hash)] : [.integer(hash), .integer(hash)]
        for row in try connection.query(sql, parameters) where row.string("dedupe_key") == delivery.dedupeKey {
            return .duplicate(publicID: row.string("public_id") ?? delivery.publicID,
                              responseStatus: row.int("response_status") ?? delivery.responseStatus,
                              responseBody: row.blob("response_body") ?? [])
        }
        return nil
    }

    /// The logged rows with a hash, by the one index over the hash: PostgreSQL.
    private static let answersByHash = """
        SELECT dedupe_key, public_id, response_status, response_body FROM deliveries WHERE dedupe_hash = ?
        """

    /// The logged rows with a hash on the embedded log: the one that holds it and those sharing it, each found by
    /// its own partial index (a condition on the hash alone would scan the table).
    private static let answersByHashEitherIndex = """
        SELECT dedupe_key, public_id, response_status, response_body FROM deliveries
        WHERE dedupe_hash = ? AND shares_hash = 0
        UNION ALL
        SELECT dedupe_key, public_id, response_status, response_body FROM deliveries
        WHERE dedupe_hash = ? AND shares_hash = 1
        """

    /// The row (``columns(_:hash:)``) inserted unless a row holds its hash: the embedded log, where the first row of
    /// each hash holds it in a unique index (``sharedHashes``). A hash index probed apart from the insert cost as much
    /// as the insert itself: SQLite copies the result of an `INSERT … SELECT` that reads its own table aside first.
    /// The writing transaction is the column's default (``LogPosition``). Constant text, so the writer finds its
    /// prepared statement without hashing the SQL.
    private static let insertUnlessHashLogged = insertRow + " ON CONFLICT (dedupe_hash) WHERE shares_hash = 0 DO NOTHING"

    /// The row of a key whose hash another key's row holds: marked as sharing it, so the unique index passes it by.
    private static let insertSharingHash = """
        INSERT INTO deliveries (dedupe_hash, dedupe_key, public_id, source, received_at, request_id,
                                traceparent, body, response_status, response_body, shares_hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
        """

    /// The row (``columns(_:hash:)``) inserted unless the unique index over (hash, key) holds it or a running
    /// transaction is inserting it: PostgreSQL, where appends run side by side.
    private static let insertUnlessConflicting = insertRow + " ON CONFLICT (dedupe_hash, dedupe_key) DO NOTHING"

    private static let insertRow = """
        INSERT INTO deliveries (dedupe_hash, dedupe_key, public_id, source, received_at, request_id,
                                traceparent, body, response_status, response_body)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// A row's values, in the order of the inserts' column lists.
    static func columns(_ delivery: NewDelivery, hash: Int64) -> [SQLValue] {
        [.integer(hash), .text(delivery.dedupeKey), .text(delivery.publicID), .text(delivery.source.rawValue),
         .integer(delivery.receivedAtMillis), SQLValue(delivery.requestID), SQLValue(delivery.traceparent),
         .blob(delivery.body), .integer(Int64(delivery.responseStatus)), .blob(delivery.responseBody)]
    }

    /// A tiny write in place: fails when the log cannot commit at all (read-only, broken), not when it is merely full.
    public func probe(now: Int64) throws {
        try database.write { connection in
            try connection.run("""
                INSERT INTO readiness_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at
                """, [.integer(now)])
        }
    }

    /// Up to `limit` deliveries logged after `cursor`, in reading order; on PostgreSQL only those no transaction still
    /// running can precede (``LogPosition``).
    public func deliveries(after cursor: LogPosition, limit: Int) throws -> [StoredDelivery] {
        try database.read { connection in
            let after = cursor.later(connection.dialect)
            return try connection.query("""
                SELECT id, \(LogPosition.transactionColumn(connection.dialect)), dedupe_key, public_id, source,
                       received_at, request_id, traceparent, body, response_status, response_body
                FROM deliveries WHERE \(after.sql)\(LogPosition.andSettled(connection.dialect))
                ORDER BY \(LogPosition.order(connection.dialect)) LIMIT ?
                """, after.parameters + [.integer(Int64(limit))]).compactMap(Self.delivery)
        }
    }

    /// Deletes up to `limit` deliveries at or before `cursor` (recorded in the domain database) received before
    /// `receivedBefore`; how many. The log keeps them that long only to answer a sender's retry of the same delivery
    /// with the first answer.
    public func prune(through cursor: LogPosition, receivedBefore: Int64, limit: Int = 10_000) throws -> Int {
        try database.write { connection in
            let through = cursor.through(connection.dialect)
            try connection.run("""
                DELETE FROM deliveries WHERE id IN (
                    SELECT id FROM deliveries WHERE \(through.sql) AND received_at < ?
                    ORDER BY \(LogPosition.order(connection.dialect)) LIMIT ?)
                """, through.parameters + [.integer(receivedBefore), .integer(Int64(limit))])
            let pruned = connection.changes
            if pruned > 0, connection.dialect != .postgres { try connection.run(Self.handOverPrunedHashes) }
            return pruned
        }
    }

    /// On the embedded log, the earliest row sharing a hash whose holder was pruned holds it now: a retry of that
    /// row's delivery must still meet its hash in the unique index.
    private static let handOverPrunedHashes = """
        UPDATE deliveries SET shares_hash = 0
        WHERE id IN (SELECT min(id) FROM deliveries WHERE shares_hash = 1 GROUP BY dedupe_hash)
          AND NOT EXISTS (SELECT 1 FROM deliveries AS holder
                          WHERE holder.dedupe_hash = deliveries.dedupe_hash AND holder.shares_hash = 0)
        """

    /// How many deliveries are logged after `cursor` (also those a running transaction still holds back).
    public func count(after cursor: LogPosition) throws -> Int {
        try database.read { connection in
            let after = cursor.later(connection.dialect)
            return try connection.queryOne("SELECT count(*) AS n FROM deliveries WHERE \(after.sql)",
                                           after.parameters)?.int("n") ?? 0
        }
    }

    /// When the first delivery logged after `cursor` was received (unix ms), nil when there is none.
    public func oldestReceivedAt(after cursor: LogPosition) throws -> Int64? {
        try database.read { connection in
            let after = cursor.later(connection.dialect)
            return try connection.queryOne("""
                SELECT received_at FROM deliveries WHERE \(after.sql)
                ORDER BY \(LogPosition.order(connection.dialect)) LIMIT 1
                """, after.parameters)?.int64("received_at")
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
        return StoredDelivery(id: id, publicID: publicID, source: source, body: body, attempts: 0, logged: logged,
                              logTransaction: row.int64("txid") ?? 0)
    }

    /// The key's ``StableHash``, as a signed 64-bit column value.
    static func hash(_ key: String) -> Int64 { StableHash.of(key) }
}

/// A count shared by the copies of one ``InboxLog``.
final class AppendCount: Sendable {
    let value = Atomic<Int>(0)
}
