import GatewayKit
import Storage

/// Moves outbox rows into the dead-letter table: copies the row (body, headers, keys, history) with the final
/// outcome, then deletes it from the outbox, in the caller's transaction: after the attempt that ended it, or without
/// an attempt when nobody can send it (parked) or it is past its retry horizon (expired).
enum DeadLetterMove {
    private static let copiedColumns = "endpoint, method, path, headers, body, idempotency_key, ordering_key, "
        + "traceparent, created_at"
    private static let insertColumns = copiedColumns + ", dead_at, attempts, reason, error_class, last_status, "
        + "last_error, response_snippet, history"

    /// A claimed row whose last attempt ended it (permanent, exhausted, gone); only while `owner` holds the lease.
    /// Returns whether it moved.
    @discardableResult
    static func fromClaim(id: Int64, owner: String, reason: DeadLetterReason, report: AttemptReport,
                          in connection: any DatabaseConnection) throws -> Bool {
        try connection.run("""
            INSERT INTO dead_letters (\(insertColumns))
            SELECT \(copiedColumns), ?, attempts + 1, ?, ?, ?, ?, ?, \(connection.dialect.jsonAppend("history"))
            FROM outbox WHERE id = ? AND status = 'in_flight' AND lease_owner = ?
            """, [.integer(report.finishedAt), .text(reason.rawValue),
                  .text((report.errorClass ?? .other).rawValue), SQLValue(report.status), SQLValue(report.error),
                  SQLValue(report.responseSnippet), .text(JSONWriter.string(report.historyEntry)), .integer(id),
                  .text(owner)])
        guard connection.changes == 1 else { return false }
        try connection.run("DELETE FROM outbox WHERE id = ?", [.integer(id)])
        return true
    }

    /// A row moved without an attempt (parked or expired).
    struct MovedRow: Sendable {
        let idempotencyKey: String
        let attempts: Int
    }

    /// Parks every due row of `endpoint` as `undeliverable` with `reason`, without counting an attempt; returns
    /// them.
    static func parkDue(endpoint: EndpointName, reason: String, now: Int64,
                        in connection: any DatabaseConnection) throws -> [MovedRow] {
        let due = "endpoint = ? AND status IN ('pending', 'in_flight') AND next_attempt_at <= ?"
        let entry = JSONWriter.string(["at": .integer(now), "error_class": "undeliverable", "error": .string(reason)])
        let parked = try connection.query("""
            INSERT INTO dead_letters (\(insertColumns))
            SELECT \(copiedColumns), ?, attempts, 'undeliverable', 'undeliverable', NULL, ?, NULL,
                   \(connection.dialect.jsonAppend("history"))
            FROM outbox WHERE \(due) ORDER BY id
            RETURNING idempotency_key, attempts
            """, [.integer(now), .text(reason), .text(entry), .text(endpoint.rawValue), .integer(now)])
        guard !parked.isEmpty else { return [] }
        try connection.run("DELETE FROM outbox WHERE \(due)", [.text(endpoint.rawValue), .integer(now)])
        return movedRows(parked)
    }

    /// Dead-letters up to `limit` rows of `endpoint` first due at or before `firstDueUpTo`, oldest first, as
    /// `exhausted` with error class `expired` and `error` (the previous last error kept after it), without counting
    /// an attempt: queued rows, and rows another dispatcher left in flight past their lease. Rows `owner` holds are
    /// left alone — one of them may be in flight right now, and its outcome is on the way. Returns the rows moved.
    static func expire(endpoint: EndpointName, firstDueUpTo: Int64, error: String, now: Int64, owner: String, limit: Int,
                       in connection: any DatabaseConnection) throws -> [MovedRow] {
        let ids = try connection.query("""
            SELECT id FROM outbox
            WHERE endpoint = ? AND status IN ('pending', 'in_flight') AND delivered_at IS NULL AND first_due_at <= ?
              AND (status = 'pending' OR (next_attempt_at <= ? AND lease_owner IS DISTINCT FROM ?))
            ORDER BY first_due_at LIMIT ?
            """, [.text(endpoint.rawValue), .integer(firstDueUpTo), .integer(now), .text(owner), .integer(Int64(limit))])
            .compactMap { $0.int64("id") }
        guard !ids.isEmpty else { return [] }
        let list = SQLValue.text("[" + ids.map(String.init).joined(separator: ",") + "]")
        let expired = DeliveryErrorClass.expired.rawValue
        let entry = JSONWriter.string(["at": .integer(now), "error_class": .string(expired), "error": .string(error)])
        let moved = try connection.query("""
            INSERT INTO dead_letters (\(insertColumns))
            SELECT \(copiedColumns), ?, attempts, ?, ?, last_status, ? || coalesce('; last error: ' || last_error, ''),
                   NULL, \(connection.dialect.jsonAppend("history"))
            FROM outbox WHERE id IN (\(connection.dialect.jsonArrayElements(as: "INTEGER"))) ORDER BY id
            RETURNING idempotency_key, attempts
            """, [.integer(now), .text(DeadLetterReason.exhausted.rawValue), .text(expired), .text(error),
                  .text(entry), list])
        try connection.run("""
            DELETE FROM outbox WHERE id IN (\(connection.dialect.jsonArrayElements(as: "INTEGER")))
            """, [list])
        return movedRows(moved)
    }

    private static func movedRows(_ rows: [Row]) -> [MovedRow] {
        rows.compactMap { row in
            row.string("idempotency_key").map { MovedRow(idempotencyKey: $0, attempts: row.int("attempts") ?? 0) }
        }
    }
}
