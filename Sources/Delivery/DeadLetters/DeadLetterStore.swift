import Storage

/// The dead-letter table's SQL: list (newest first, paged), replay (back to the outbox under the same idempotency
/// key, with a fresh attempt count and the history kept), purge and count. Writes run in the caller's transaction
/// (a write unit of work); reads work on any connection.
public enum DeadLetterStore {
    /// One page of letters matching `query`, newest first.
    public static func list(_ query: DeadLetterQuery, in connection: any DatabaseConnection) throws -> DeadLetterPage {
        let limit = min(max(query.limit, 1), DeadLetterQuery.maxLimit)
        let rows = try connection.query("""
            SELECT \(DeadLetter.columns) FROM dead_letters
            WHERE (CAST(?1 AS TEXT) IS NULL OR endpoint = ?1) AND (CAST(?2 AS BIGINT) IS NULL OR dead_at >= ?2)
              AND (CAST(?3 AS BIGINT) IS NULL OR id < ?3)
            ORDER BY id DESC LIMIT ?4
            """, [SQLValue(query.endpoint?.rawValue), SQLValue(query.sinceMillis), SQLValue(query.beforeID),
                  .integer(Int64(limit + 1))])
        let items = rows.prefix(limit).compactMap(DeadLetter.init(row:))
        return DeadLetterPage(items: items, nextCursor: rows.count > limit ? items.last?.id : nil)
    }

    /// Moves dead letter `id` back to the outbox; returns the new outbox id, or nil when there is no such letter. A
    /// replayed call is new again: its age (for `outbound.max_retry_age`) counts from the replay.
    public static func replay(id: Int64, now: Int64, in connection: any DatabaseConnection) throws -> Int64? {
        let moved = try requeue(filter: "id = ?1", [.integer(id)], now: now, in: connection)
        return moved > 0 ? connection.lastInsertRowID : nil
    }

    /// Moves every dead letter (of `endpoint`, when given) back to the outbox; returns how many.
    public static func replayAll(endpoint: EndpointName?, now: Int64, in connection: any DatabaseConnection) throws -> Int {
        try requeue(filter: "(CAST(?1 AS TEXT) IS NULL OR endpoint = ?1)", [SQLValue(endpoint?.rawValue)], now: now,
                    in: connection)
    }

    /// Deletes letters that died before `cutoff` (unix ms); returns how many.
    public static func purge(deadBefore cutoff: Int64, in connection: any DatabaseConnection) throws -> Int {
        try connection.run("DELETE FROM dead_letters WHERE dead_at < ?", [.integer(cutoff)])
        return connection.changes
    }

    /// Letters in the table (the `gateway_dead_letters` gauge).
    public static func count(in connection: any DatabaseConnection) throws -> Int {
        try connection.queryOne("SELECT count(*) AS n FROM dead_letters")?.int("n") ?? 0
    }

    /// `filter` numbers its parameters explicitly (`?1`…), because the time is bound after them as `?N+1`.
    private static func requeue(filter: String, _ params: [SQLValue], now: Int64,
                                in connection: any DatabaseConnection) throws -> Int {
        let base = params.count + 1
        try connection.run("""
            INSERT INTO outbox (endpoint, method, path, headers, body, idempotency_key, ordering_key, traceparent,
                                created_at, next_attempt_at, first_due_at, history)
            SELECT endpoint, method, path, headers, body, idempotency_key, ordering_key, traceparent, ?\(base), ?\(base),
                   ?\(base), history
            FROM dead_letters WHERE \(filter) ORDER BY id
            """, params + [.integer(now)])
        let moved = connection.changes
        guard moved > 0 else { return 0 }
        // A DELETE leaves the connection's last insert rowid alone, so `replay(id:)` still reads the outbox id.
        try connection.run("DELETE FROM dead_letters WHERE \(filter)", params)
        OutboxDoorbell.ring(database: connection.location)
        return moved
    }
}
