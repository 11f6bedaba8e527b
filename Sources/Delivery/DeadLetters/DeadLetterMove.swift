import GatewayKit
import Storage

/// Moves outbox rows into the dead-letter table: copies the row (body, headers, keys, history) with the final
/// outcome, then deletes it from the outbox, in the caller's transaction.
enum DeadLetterMove {
    private static let copiedColumns = "endpoint, method, path, headers, body, idempotency_key, ordering_key, "
        + "traceparent, created_at"
    private static let insertColumns = copiedColumns + ", dead_at, attempts, reason, error_class, last_status, "
        + "last_error, response_snippet, history"

    /// A claimed row whose last attempt ended it (permanent, exhausted, gone); only while `owner` holds the lease.
    /// Returns whether it moved.
    @discardableResult
    static func fromClaim(id: Int64, owner: String, reason: DeadLetterReason, report: AttemptReport,
                          in connection: SQLiteConnection) throws -> Bool {
        try connection.run("""
            INSERT INTO dead_letters (\(insertColumns))
            SELECT \(copiedColumns), ?, attempts + 1, ?, ?, ?, ?, ?, json_insert(history, '$[#]', json(?))
            FROM outbox WHERE id = ? AND status = 'in_flight' AND lease_owner = ?
            """, [.integer(report.finishedAt), .text(reason.rawValue),
                  .text((report.errorClass ?? .other).rawValue), SQLValue(report.status), SQLValue(report.error),
                  SQLValue(report.responseSnippet), .text(JSONWriter.string(report.historyEntry)), .integer(id),
                  .text(owner)])
        guard connection.changes == 1 else { return false }
        try connection.run("DELETE FROM outbox WHERE id = ?", [.integer(id)])
        return true
    }

    /// A row ``parkDue(endpoint:reason:now:in:)`` moved.
    struct ParkedRow: Sendable {
        let idempotencyKey: String
        let attempts: Int
    }

    /// Parks every due row of `endpoint` as `undeliverable` with `reason`, without counting an attempt; returns
    /// them.
    static func parkDue(endpoint: String, reason: String, now: Int64,
                        in connection: SQLiteConnection) throws -> [ParkedRow] {
        let due = "endpoint = ? AND status IN ('pending', 'in_flight') AND next_attempt_at <= ?"
        let entry = JSONWriter.string(["at": .integer(now), "error_class": "undeliverable", "error": .string(reason)])
        let parked = try connection.query("""
            INSERT INTO dead_letters (\(insertColumns))
            SELECT \(copiedColumns), ?, attempts, 'undeliverable', 'undeliverable', NULL, ?, NULL,
                   json_insert(history, '$[#]', json(?))
            FROM outbox WHERE \(due) ORDER BY id
            RETURNING idempotency_key, attempts
            """, [.integer(now), .text(reason), .text(entry), .text(endpoint), .integer(now)])
        guard !parked.isEmpty else { return [] }
        try connection.run("DELETE FROM outbox WHERE \(due)", [.text(endpoint), .integer(now)])
        return parked.compactMap { row in
            row.string("idempotency_key").map { ParkedRow(idempotencyKey: $0, attempts: row.int("attempts") ?? 0) }
        }
    }
}
