import Storage

/// Moves outbox rows into the dead-letter table: copies the row (body, headers, keys, history) with the final
/// outcome, then deletes it from the outbox, in the caller's transaction.
enum DeadLetterMove {
    private static let copiedColumns = "endpoint, method, path, headers, body, idempotency_key, ordering_key, "
        + "traceparent, created_at"
    private static let insertColumns = copiedColumns + ", dead_at, attempts, reason, error_class, last_status, "
        + "last_error, response_snippet, history"

    /// A claimed row whose last attempt ended it (permanent, exhausted, gone); only while `owner` holds the lease.
    static func fromClaim(id: Int64, owner: String, reason: DeadLetterReason, report: AttemptReport,
                          in connection: SQLiteConnection) throws {
        try connection.run("""
            INSERT INTO dead_letters (\(insertColumns))
            SELECT \(copiedColumns), ?, attempts + 1, ?, ?, ?, ?, ?, json_insert(history, '$[#]', json(?))
            FROM outbox WHERE id = ? AND status = 'in_flight' AND lease_owner = ?
            """, [.integer(report.startedAt + Int64(report.durationMillis)), .text(reason.rawValue),
                  .text((report.errorClass ?? .other).rawValue), SQLValue(report.status), SQLValue(report.error),
                  SQLValue(report.responseSnippet), .text(JSONWriter.string(report.historyEntry)), .integer(id),
                  .text(owner)])
        guard connection.changes == 1 else { return }
        try connection.run("DELETE FROM outbox WHERE id = ?", [.integer(id)])
    }

    /// Which due rows to park as undeliverable.
    enum ParkScope: Sendable {
        /// A configured endpoint without a URL.
        case endpoint(String)
        /// Rows naming an endpoint the configuration does not have.
        case notIn(known: [String])
    }

    /// Parks every due row in `scope` as `undeliverable` with `reason`, without counting an attempt; returns the
    /// endpoint name of each parked row (for metrics).
    static func parkDue(_ scope: ParkScope, reason: String, now: Int64, in connection: SQLiteConnection) throws -> [String] {
        let filter: String
        let scopeValue: SQLValue
        switch scope {
        case .endpoint(let name):
            filter = "endpoint = ?"
            scopeValue = .text(name)
        case .notIn(let known):
            filter = "endpoint NOT IN (SELECT value FROM json_each(?))"
            scopeValue = .text(JSONWriter.string(.array(known.map { .string($0) })))
        }
        let due = "\(filter) AND status IN ('pending', 'in_flight') AND next_attempt_at <= ?"
        let entry = JSONWriter.string(["at": .integer(now), "error_class": "undeliverable", "error": .string(reason)])
        let parked = try connection.query("""
            INSERT INTO dead_letters (\(insertColumns))
            SELECT \(copiedColumns), ?, attempts, 'undeliverable', 'undeliverable', NULL, ?, NULL,
                   json_insert(history, '$[#]', json(?))
            FROM outbox WHERE \(due) ORDER BY id
            RETURNING endpoint
            """, [.integer(now), .text(reason), .text(entry), scopeValue, .integer(now)])
        guard !parked.isEmpty else { return [] }
        try connection.run("DELETE FROM outbox WHERE \(due)", [scopeValue, .integer(now)])
        return parked.compactMap { $0.string("endpoint") }
    }
}
