import GatewayKit
import Storage

/// The outbox's SQL on the writer's connection: claiming due rows under a lease, recording attempt outcomes,
/// parking undeliverable rows and purging old delivered ones. Every statement that touches a claimed row checks the
/// lease owner, so a dispatcher whose lease ran out (and whose row someone else re-claimed) changes nothing.
enum OutboxLedger {
    /// The earliest future time a row of `endpoint` becomes due, if any (what the dispatcher sleeps until).
    static func nextDueAt(endpoint: EndpointName, after now: Int64, in connection: any DatabaseConnection) throws -> Int64? {
        try connection.queryOne("""
            SELECT min(next_attempt_at) AS due FROM outbox
            WHERE endpoint = ? AND status IN ('pending', 'in_flight') AND next_attempt_at > ?
            """, [.text(endpoint.rawValue), .integer(now)])?.int64("due")
    }

    /// Marks claimed rows delivered, in one statement for the lot: the common case, so it costs one statement
    /// per writer round trip instead of one per row.
    static func markDelivered(ids: [Int64], status: Int, at: Int64, owner: String,
                              in connection: any DatabaseConnection) throws {
        guard !ids.isEmpty else { return }
        try connection.run(markDeliveredStatement[connection.dialect],
                           [.integer(Int64(status)), .integer(at), .text(idList(ids)), .text(owner)])
    }

    /// Delivered rows by id (a JSON array), still in flight under `owner`.
    private static let markDeliveredStatement = DialectStatement { dialect in """
        UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL,
                          delivered_at = ?, lease_owner = NULL
        WHERE id IN (\(dialect.jsonArrayElements(as: "INTEGER"))) AND status = 'in_flight'
          AND lease_owner = ?
        """
    }

    /// `ids` as a JSON array, for a statement that takes a list of ids in one parameter.
    static func idList(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// Writes one outcome; returns whether the row was still this owner's to change.
    @discardableResult
    static func apply(_ update: OutboxUpdate, owner: String, in connection: any DatabaseConnection) throws -> Bool {
        switch update {
        case .delivered(let id, let report):
            try markDelivered(ids: [id], status: report.status ?? 200, at: report.finishedAt,
                              owner: owner, in: connection)
        case .retry(let id, let at, let report):
            try connection.run(retryStatement[connection.dialect], [
                .integer(at), SQLValue(report.status), SQLValue(report.error),
                .text(JSONWriter.string(report.historyEntry)), .integer(id), .text(owner)])
        case .rejected(let id, let report):
            try connection.run(rejectedStatement[connection.dialect], [
                SQLValue(report.status), SQLValue(report.error), .integer(report.finishedAt),
                .text(JSONWriter.string(report.historyEntry)), .integer(id), .text(owner)])
        case .deadLetter(let id, let reason, let report):
            return try DeadLetterMove.fromClaim(id: id, owner: owner, reason: reason, report: report, in: connection)
        case .release(let id, let at):
            try connection.run("""
                UPDATE outbox SET status = 'pending', next_attempt_at = ?, lease_owner = NULL
                WHERE id = ? AND status = 'in_flight' AND lease_owner = ?
                """, [.integer(at), .integer(id), .text(owner)])
        }
        return connection.changes == 1
    }

    /// A failed attempt to try again at the given time, its report appended to the row's history.
    private static let retryStatement = DialectStatement { dialect in """
        UPDATE outbox SET status = 'pending', attempts = attempts + 1, next_attempt_at = ?, lease_owner = NULL,
                          last_status = ?, last_error = ?, history = \(dialect.jsonAppend("history"))
        WHERE id = ? AND status = 'in_flight' AND lease_owner = ?
        """
    }

    /// A permanent refusal: finished, not retried, its report appended to the row's history.
    private static let rejectedStatement = DialectStatement { dialect in """
        UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = ?,
                          delivered_at = ?, lease_owner = NULL,
                          history = \(dialect.jsonAppend("history"))
        WHERE id = ? AND status = 'in_flight' AND lease_owner = ?
        """
    }

    /// Endpoint names that have queued or in-flight rows, found with one index seek per name (a hand-made skip
    /// scan), so looking for rows of unconfigured endpoints stays cheap however long the backlog is.
    static func liveEndpoints(in connection: any DatabaseConnection) throws -> [EndpointName] {
        var names: [EndpointName] = []
        while let next = try connection.queryOne("""
            SELECT endpoint FROM outbox WHERE status IN ('pending', 'in_flight') AND endpoint > ?
            ORDER BY endpoint LIMIT 1
            """, [.text(names.last?.rawValue ?? "")])?.string("endpoint") {
            names.append(EndpointName(next))
        }
        return names
    }

    /// Deletes delivered rows that finished before `cutoff` (at most `limit`, so one sweep stays short); returns
    /// how many.
    static func purgeDelivered(before cutoff: Int64, limit: Int, in connection: any DatabaseConnection) throws -> Int {
        try connection.run("""
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE status = 'delivered' AND delivered_at < ? ORDER BY delivered_at LIMIT ?)
            """, [.integer(cutoff), .integer(Int64(limit))])
        return connection.changes
    }
}
