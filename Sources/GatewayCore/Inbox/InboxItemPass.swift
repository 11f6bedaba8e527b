import Storage

/// One pass of an inbox-item consumer on the writer's connection: pending items of some kinds in id order, each
/// applied in its own savepoint and marked `applied`, `ignored` or `failed` (with the error) in the same
/// transaction as its changes, so every item takes effect exactly once and a poison item fails alone.
public enum InboxItemPass {
    /// How a consumer handled one item.
    public enum Verdict: String, Sendable {
        case applied
        /// Nothing to do for this consumer (e.g. identifies nobody in the current mode).
        case ignored
    }

    /// Items handled by one pass, by verdict.
    public struct Tally: Sendable, Equatable {
        public var applied = 0
        public var ignored = 0
        public var failed = 0

        public init() {}

        public var total: Int { applied + ignored + failed }
    }

    /// Applies up to `limit` pending items of `kinds`. `apply` gets the item id, its event and when it occurred;
    /// whatever it throws marks the item `failed` (its changes rolled back) — except storage trouble, which ends the
    /// pass (the items stay pending for the next one).
    public static func run(kinds: [String], limit: Int, in connection: SQLiteConnection,
                           _ apply: (_ id: Int64, _ event: InboundEvent, _ occurredAt: Int64?) throws -> Verdict)
        throws -> Tally {
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        let rows = try connection.query("""
            SELECT id, payload, occurred_at FROM inbox_items
            WHERE status = 'pending' AND kind IN (\(marks)) ORDER BY id LIMIT ?
            """, kinds.map(SQLValue.text) + [.integer(Int64(limit))])
        var tally = Tally()
        for row in rows {
            guard let id = row.int64("id") else { continue }
            do {
                let verdict = try connection.savepoint { () throws -> Verdict in
                    let event = try InboundEvent(json: try JSONParser.parse(Array((row.string("payload") ?? "").utf8)))
                    let verdict = try apply(id, event, row.int64("occurred_at"))
                    try mark(id, verdict.rawValue, error: nil, in: connection)
                    return verdict
                }
                if verdict == .applied { tally.applied += 1 } else { tally.ignored += 1 }
            } catch let error as SQLiteError where error.isStorageFailure || error.isBusy {
                throw error
            } catch {
                try mark(id, "failed", error: String(describing: error), in: connection)
                tally.failed += 1
            }
        }
        return tally
    }

    /// Adds a pass's tally to `metric{outcome}`.
    public static func count(_ tally: Tally, as metric: String, help: String, in metrics: MetricsRegistry) {
        for (outcome, count) in [("applied", tally.applied), ("ignored", tally.ignored), ("failed", tally.failed)]
        where count > 0 {
            metrics.increment(metric, [("outcome", outcome)], by: Double(count), help: help)
        }
    }

    private static func mark(_ id: Int64, _ status: String, error: String?, in connection: SQLiteConnection) throws {
        try connection.run("UPDATE inbox_items SET status = ?, error = ? WHERE id = ? AND status = 'pending'",
                           [.text(status), SQLValue(error), .integer(id)])
    }
}
