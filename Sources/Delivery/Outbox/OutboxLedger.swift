import GatewayKit
import Storage

/// The outbox's SQL on the writer's connection: claiming due rows under a lease, recording attempt outcomes,
/// parking undeliverable rows and purging old delivered ones. Every statement that touches a claimed row checks the
/// lease owner, so a dispatcher whose lease ran out (and whose row someone else re-claimed) changes nothing.
enum OutboxLedger {
    /// Claims up to `limit` due rows of `endpoint`, oldest due first, skipping rows whose ordering key has an earlier
    /// row still pending or in flight (per-key FIFO) and rows first due at or before `firstDueAfter` (past the retry
    /// horizon: the sweep dead-letters them unsent). A due row is `pending` with its next attempt time passed, or
    /// `in_flight` with its lease expired under another owner (its dispatcher died). Rows `owner` itself holds are
    /// never taken back, however late the clock says it is: they are waiting, in flight, or have their outcome on
    /// the way, and the outcome's write (or the release) is what hands them back; a jump of the wall clock past
    /// their lease must not send them a second time.
    ///
    /// On PostgreSQL several instances claim at once: the due rows are locked as they are chosen and rows another
    /// instance is claiming are skipped (`FOR UPDATE SKIP LOCKED`), so a row goes to one of them; a later row of an
    /// ordering key stays unclaimed while an earlier one is pending or in flight on any instance (the earlier row is
    /// pending in every snapshot until its claim commits).
    static func claim(endpoint: EndpointName, limit: Int, firstDueAfter: Int64 = .min, now: Int64, leaseExpiresAt: Int64,
                      owner: String, in connection: any DatabaseConnection) throws -> [OutboxRecord] {
        guard limit > 0 else { return [] }
        let rows = try connection.query("""
            UPDATE outbox SET status = 'in_flight', next_attempt_at = ?, lease_owner = ?
            WHERE id IN (
                SELECT o.id FROM outbox o
                WHERE o.endpoint = ? AND o.status IN ('pending', 'in_flight') AND o.next_attempt_at <= ?
                  AND (o.status = 'pending' OR o.lease_owner IS DISTINCT FROM ?)
                  AND (o.first_due_at IS NULL OR o.first_due_at > ?)
                  AND (o.ordering_key IS NULL OR NOT EXISTS (
                      SELECT 1 FROM outbox p
                      WHERE p.endpoint = o.endpoint AND p.ordering_key = o.ordering_key
                        AND p.status IN ('pending', 'in_flight') AND p.delivered_at IS NULL AND p.id < o.id))
                ORDER BY o.next_attempt_at, o.id
                LIMIT ?\(connection.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""))
            RETURNING \(OutboxRecord.columns)
            """, [.integer(leaseExpiresAt), .text(owner), .text(endpoint.rawValue), .integer(now), .text(owner),
                  .integer(firstDueAfter), .integer(Int64(limit))])
        return rows.compactMap { OutboxRecord(row: $0, leaseExpiresAt: leaseExpiresAt) }.sorted { $0.id < $1.id }
    }

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
        try connection.run("""
            UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL,
                              delivered_at = ?, lease_owner = NULL
            WHERE id IN (\(connection.dialect.jsonArrayElements(as: "INTEGER"))) AND status = 'in_flight'
              AND lease_owner = ?
            """, [.integer(Int64(status)), .integer(at), .text("[" + ids.map(String.init).joined(separator: ",") + "]"),
                  .text(owner)])
    }

    /// Writes one outcome; returns whether the row was still this owner's to change.
    @discardableResult
    static func apply(_ update: OutboxUpdate, owner: String, in connection: any DatabaseConnection) throws -> Bool {
        switch update {
        case .delivered(let id, let report):
            try markDelivered(ids: [id], status: report.status ?? 200, at: report.finishedAt,
                              owner: owner, in: connection)
        case .retry(let id, let at, let report):
            try connection.run("""
                UPDATE outbox SET status = 'pending', attempts = attempts + 1, next_attempt_at = ?, lease_owner = NULL,
                                  last_status = ?, last_error = ?, history = \(connection.dialect.jsonAppend("history"))
                WHERE id = ? AND status = 'in_flight' AND lease_owner = ?
                """, [.integer(at), SQLValue(report.status), SQLValue(report.error),
                      .text(JSONWriter.string(report.historyEntry)), .integer(id), .text(owner)])
        case .rejected(let id, let report):
            try connection.run("""
                UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = ?,
                                  delivered_at = ?, lease_owner = NULL,
                                  history = \(connection.dialect.jsonAppend("history"))
                WHERE id = ? AND status = 'in_flight' AND lease_owner = ?
                """, [SQLValue(report.status), SQLValue(report.error), .integer(report.finishedAt),
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
