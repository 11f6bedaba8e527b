import GatewayKit
import Storage

extension OutboxLedger {
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
    ///
    /// On SQLite the one writer runs the whole claim with nothing in between, so the due rows are read first and
    /// then marked in flight by id: the same rows and columns as one `UPDATE … RETURNING`, without the temporary
    /// table SQLite fills for `RETURNING` and reads back (each row's body copied twice more).
    static func claim(endpoint: EndpointName, limit: Int, firstDueAfter: Int64 = .min, now: Int64, leaseExpiresAt: Int64,
                      owner: String, in connection: any DatabaseConnection) throws -> [OutboxRecord] {
        guard limit > 0 else { return [] }
        let selection: [SQLValue] = [.text(endpoint.rawValue), .integer(now), .text(owner), .integer(firstDueAfter),
                                     .integer(Int64(limit))]
        let rows: [Row]
        switch connection.dialect {
        case .postgres:
            rows = try connection.query(lockingClaim, [.integer(leaseExpiresAt), .text(owner)] + selection)
        case .sqlite:
            rows = try connection.query(dueRowsToClaim, selection)
            if !rows.isEmpty {
                try connection.run(markInFlight, [.integer(leaseExpiresAt), .text(owner),
                                                  .text(idList(rows.compactMap { $0.int64("id") }))])
            }
        }
        return rows.compactMap { OutboxRecord(row: $0, leaseExpiresAt: leaseExpiresAt) }.sorted { $0.id < $1.id }
    }

    /// `columns` of the rows a claim takes (see ``claim(endpoint:limit:firstDueAfter:now:leaseExpiresAt:owner:in:)``),
    /// with `lockClause` after its `LIMIT ?`. Parameters: endpoint, now, owner, first due after, limit.
    private static func dueRows(_ columns: String, lockClause: String = "") -> String {
        """
            SELECT \(columns) FROM outbox o
            WHERE o.endpoint = ? AND o.status IN ('pending', 'in_flight') AND o.next_attempt_at <= ?
              AND (o.status = 'pending' OR o.lease_owner IS DISTINCT FROM ?)
              AND (o.first_due_at IS NULL OR o.first_due_at > ?)
              AND (o.ordering_key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM outbox p
                  WHERE p.endpoint = o.endpoint AND p.ordering_key = o.ordering_key
                    AND p.status IN ('pending', 'in_flight') AND p.delivered_at IS NULL AND p.id < o.id))
            ORDER BY o.next_attempt_at, o.id
            LIMIT ?\(lockClause)
        """
    }

    /// PostgreSQL's claim: chooses, locks and marks the due rows in one statement.
    private static let lockingClaim = """
        UPDATE outbox SET status = 'in_flight', next_attempt_at = ?, lease_owner = ?
        WHERE id IN (
        \(dueRows("o.id", lockClause: " FOR UPDATE SKIP LOCKED")))
        RETURNING \(OutboxRecord.columns)
        """

    /// SQLite's claim, first step: the due rows' columns.
    private static let dueRowsToClaim = dueRows(OutboxRecord.columns)

    /// SQLite's claim, second step: the rows just read, in flight under the lease. Parameters: lease expiry, owner,
    /// the ids as a JSON array.
    private static let markInFlight = """
        UPDATE outbox SET status = 'in_flight', next_attempt_at = ?, lease_owner = ?
        WHERE id IN (\(SQLDialect.sqlite.jsonArrayElements(as: "INTEGER")))
        """
}
