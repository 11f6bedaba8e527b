import GatewayKit
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

        public mutating func add(_ other: Tally) {
            applied += other.applied
            ignored += other.ignored
            failed += other.failed
        }

        public mutating func add(_ outcome: Outcome) {
            switch outcome {
            case .applied: applied += 1
            case .ignored: ignored += 1
            case .failed: failed += 1
            }
        }
    }

    /// How one item ended.
    public enum Outcome: Sendable {
        case applied, ignored, failed
    }

    /// What a consumer does with one item: gets its id, its event and when it occurred; whatever it throws marks the
    /// item `failed` (its changes rolled back) — except storage trouble, which is rethrown (the item stays pending).
    public typealias Apply = (_ id: Int64, _ event: InboundEvent, _ occurredAt: Int64?) throws -> Verdict

    /// Applies up to `limit` pending items of `kinds` on one connection, in id order. Storage trouble ends the pass
    /// (the items not yet handled stay pending for the next one).
    public static func run(kinds: [String], limit: Int, in connection: any DatabaseConnection, _ apply: Apply) throws
        -> Tally {
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        let rows = try connection.query("""
            SELECT id, payload, occurred_at FROM inbox_items
            WHERE status = 'pending' AND kind IN (\(marks)) ORDER BY id LIMIT ?\(lockingClause(connection))
            """, kinds.map(SQLValue.text) + [.integer(Int64(limit))])
        var tally = Tally()
        for row in rows {
            guard let id = row.int64("id"),
                  let outcome = try self.apply(id, in: connection, apply, event: { try decoded(row) })
            else { continue }
            tally.add(outcome)
        }
        return tally
    }

    /// The ids of up to `limit` pending items of `kinds`, oldest first (for consumers that apply each item as its
    /// own writer operation, ``applyItem(_:in:_:)``).
    public static func pendingIDs(kinds: [String], limit: Int, in connection: any DatabaseConnection) throws -> [Int64] {
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        return try connection.query("""
            SELECT id FROM inbox_items WHERE status = 'pending' AND kind IN (\(marks)) ORDER BY id LIMIT ?
            """, kinds.map(SQLValue.text) + [.integer(Int64(limit))]).compactMap { $0.int64("id") }
    }

    /// Applies item `id` if it is still pending, like one item of ``run(kinds:limit:in:_:)``; nil when it is not
    /// (another pass handled it), so an item listed twice still takes effect once.
    public static func applyItem(_ id: Int64, in connection: any DatabaseConnection, _ apply: Apply) throws -> Outcome? {
        guard let row = try connection.queryOne(
            "SELECT payload, occurred_at FROM inbox_items WHERE id = ? AND status = 'pending'\(lockingClause(connection))",
            [.integer(id)])
        else { return nil }
        return try self.apply(id, in: connection, apply) { try decoded(row) }
    }

    /// Applies item `id` with its event as already decoded (by whoever recorded it) if it is still pending: the same
    /// as ``applyItem(_:in:_:)`` without reading the payload back and parsing it again.
    public static func applyItem(_ id: Int64, event: InboundEvent, occurredAt: Int64?,
                                 in connection: any DatabaseConnection, _ apply: Apply) throws -> Outcome? {
        try self.apply(id, in: connection, apply) { (event, occurredAt) }
    }

    /// What a pending item (`row` has its `payload` and `occurred_at`) says.
    private static func decoded(_ row: Row) throws -> (InboundEvent, Int64?) {
        (try InboundEvent(json: try JSONParser.parse(Array((row.string("payload") ?? "").utf8))),
         row.int64("occurred_at"))
    }

    /// Item `id` in its own savepoint if it is still pending; nil when it is not. The statement that finds it pending
    /// marks it `applied` first (a pending item costs that one statement, not a read and a write; one the steps ignore
    /// is marked again), outside the savepoint, so the item stays taken (on PostgreSQL, locked) while a failed one's
    /// changes are rolled back and it is marked `failed` with the error; storage trouble undoes the operation, mark
    /// included. `event` gives what it says (a payload that cannot be read fails the item like a step's error). (Not
    /// `UPDATE … RETURNING`: SQLite runs that clause as a temporary trigger, which costs more than the read it saves.)
    private static func apply(_ id: Int64, in connection: any DatabaseConnection, _ apply: Apply,
                              event: () throws -> (InboundEvent, Int64?)) throws -> Outcome? {
        try connection.run("""
            UPDATE inbox_items SET status = 'applied', error = NULL WHERE id = ? AND status = 'pending'
            """, [.integer(id)])
        guard connection.changes == 1 else { return nil }
        return try applyTaken(id, in: connection, apply, event: event)
    }

    /// Item `id`, already marked `applied` by whoever took it (the statement that found it pending, or recording that
    /// inserted it so), in its own savepoint: marked `ignored` when the steps ignore it, `failed` with the error (its
    /// changes rolled back) when they throw; storage trouble is rethrown.
    static func applyTaken(_ id: Int64, in connection: any DatabaseConnection, _ apply: Apply,
                           event: () throws -> (InboundEvent, Int64?)) throws -> Outcome {
        do {
            let verdict = try connection.savepoint { () throws -> Verdict in
                let (event, occurredAt) = try event()
                let verdict = try apply(id, event, occurredAt)
                if verdict == .ignored {
                    try connection.run("UPDATE inbox_items SET status = 'ignored' WHERE id = ?", [.integer(id)])
                }
                return verdict
            }
            return verdict == .applied ? .applied : .ignored
        } catch let error as any DatabaseError where error.isTransient {
            throw error
        } catch {
            try markFailed(id, error: String(describing: error), in: connection)
            return .failed
        }
    }

    /// Item `id`, already marked `applied`, through the steps without a savepoint of its own, for an operation that
    /// runs several items in one savepoint: a savepoint per item costs two statements and copies of the pages each
    /// item changes. When the steps ignore it, it is marked `ignored`; when they throw (storage trouble apart, which is
    /// rethrown), ``ItemFailedTogether`` is thrown instead of marking it failed: the operation undoes all its items and
    /// runs them again, each in its own savepoint (``applyTaken(_:in:_:event:)``), so the others still take effect.
    static func applyTakenTogether(_ id: Int64, in connection: any DatabaseConnection, _ apply: Apply,
                                   event: () throws -> (InboundEvent, Int64?)) throws -> Outcome {
        let verdict: Verdict
        do {
            let (event, occurredAt) = try event()
            verdict = try apply(id, event, occurredAt)
        } catch let error as any DatabaseError where error.isTransient {
            throw error
        } catch {
            throw ItemFailedTogether(id: id)
        }
        if verdict == .ignored {
            try connection.run("UPDATE inbox_items SET status = 'ignored' WHERE id = ?", [.integer(id)])
            return .ignored
        }
        return .applied
    }

    /// Adds a pass's tally to `metric{outcome}`.
    public static func count(_ tally: Tally, as metric: String, help: String, in metrics: MetricsRegistry) {
        for (outcome, count) in [("applied", tally.applied), ("ignored", tally.ignored), ("failed", tally.failed)]
        where count > 0 {
            metrics.increment(metric, [("outcome", outcome)], by: Double(count), help: help)
        }
    }

    /// On PostgreSQL several connections apply at once (the polling pass beside the hand-over of fresh items): the
    /// pending items a pass takes are locked until it commits, and one that another pass marked meanwhile is no longer
    /// listed once its lock is released (the row is read again), so no item is applied twice. On SQLite the one
    /// writer already orders them.
    private static func lockingClause(_ connection: any DatabaseConnection) -> String {
        connection.dialect == .postgres ? " FOR UPDATE" : ""
    }

    private static func markFailed(_ id: Int64, error: String, in connection: any DatabaseConnection) throws {
        try connection.run("UPDATE inbox_items SET status = 'failed', error = ? WHERE id = ?",
                           [.text(error), .integer(id)])
    }
}

/// An item applied without a savepoint of its own failed: its operation's changes are undone and its items are run
/// again, each in its own savepoint (``InboxItemPass/applyTakenTogether(_:in:_:event:)``).
struct ItemFailedTogether: Error, CustomStringConvertible {
    let id: Int64
    var description: String { "inbox item \(id) failed among the items applied together" }
}
