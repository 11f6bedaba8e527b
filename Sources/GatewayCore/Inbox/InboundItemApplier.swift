import Foundation
import Storage

/// The consumer of normalized inbox items: runs each pending item through an ordered list of ``InboundItemStep``s
/// (identity, then tickets, ...) and marks it `applied` (or `ignored`, or `failed` with its error) in the same
/// transaction as the steps' changes, so every item takes effect exactly once.
///
/// Why a separate worker rather than inside the normalizer's recording transaction: recording must never fail
/// because of domain rules, and a poison item here must fail alone. Each pass is one ``SQLiteWriter`` operation
/// (items in id order, each in its own savepoint): running on the single writer is what serializes two deliveries for
/// the same new user, so they resolve to one customer and one ticket.
public final class InboundItemApplier: @unchecked Sendable {
    private let writer: SQLiteWriter
    private let steps: [any InboundItemStep]
    private let metrics: MetricsRegistry
    private let clock: @Sendable () -> Int64
    private let batchSize: Int
    private var loop: PollingLoop?

    /// - Parameter clock: unix milliseconds, handed to the steps as ``InboundItem/now``.
    public init(writer: SQLiteWriter, steps: [any InboundItemStep], metrics: MetricsRegistry,
                clock: @escaping @Sendable () -> Int64, pollIntervalMilliseconds: Int, batchSize: Int) {
        self.writer = writer
        self.steps = steps
        self.metrics = metrics
        self.clock = clock
        self.batchSize = batchSize
        loop = PollingLoop(name: "inbound-apply", pollIntervalMilliseconds: pollIntervalMilliseconds) { [weak self] in
            (self?.drainOnce() ?? 0) >= batchSize
        }
    }

    public func start() { loop?.start() }
    public func wake() { loop?.wake() }
    public func stop() { loop?.stop() }

    /// Applies up to one batch of pending items on the caller's thread; returns how many were handled.
    @discardableResult
    public func drainOnce() -> Int {
        let steps = self.steps
        let limit = batchSize
        let now = clock()
        do {
            let pass = try writer.perform { connection in
                try Self.applyPending(limit: limit, steps: steps, now: now, in: connection)
            }
            pass.counts.record(in: metrics)
            // The series keeps its identity-era name: dashboards built on it still count every handled item.
            let help = "Inbox items handled by the inbound applier (identity, tickets), by outcome"
            for (outcome, count) in [("applied", pass.applied), ("ignored", pass.ignored), ("failed", pass.failed)]
            where count > 0 {
                metrics.increment("gateway_identity_items_total", [("outcome", outcome)], by: Double(count), help: help)
            }
            return pass.handled
        } catch {
            // Store trouble: the items stay pending and the next pass retries them.
            metrics.increment("gateway_identity_errors_total", help: "Inbound applier passes the store refused")
            return 0
        }
    }

    /// One pass on the writer's connection (also used directly by tests and the benchmarks).
    public static func applyPending(limit: Int, steps: [any InboundItemStep], now: Int64,
                                    in c: SQLiteConnection) throws -> InboundPass {
        let kinds = steps.reduce(into: Set<String>()) { $0.formUnion($1.kinds) }.sorted()
        let placeholders = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        let rows = try c.query("""
            SELECT id, kind, payload, occurred_at FROM inbox_items
            WHERE status = 'pending' AND kind IN (\(placeholders)) ORDER BY id LIMIT ?
            """, kinds.map { .text($0) } + [.integer(Int64(limit))])
        var pass = InboundPass()
        for row in rows {
            guard let id = row.int64("id"), let kind = row.string("kind") else { continue }
            do {
                let item = try c.savepoint { () throws -> InboundItem in
                    let event = try InboundEvent(json: try JSONParser.parse(Array((row.string("payload") ?? "").utf8)))
                    var item = InboundItem(id: id, kind: kind, event: event, occurredAt: row.int64("occurred_at"),
                                           now: now)
                    for step in steps where step.kinds.contains(kind) {
                        if try step.apply(&item, in: c) == .consumed { item.applied = true; break }
                    }
                    try mark(id, item.applied ? "applied" : "ignored", error: nil, in: c)
                    return item
                }
                pass.counts.merge(item.counts)
                if item.applied { pass.applied += 1 } else { pass.ignored += 1 }
            } catch let error as SQLiteError where error.isStorageFailure || error.isBusy {
                throw error
            } catch {
                // Poison: its own changes were rolled back with the savepoint; record why and move on.
                try mark(id, "failed", error: String(describing: error), in: c)
                pass.failed += 1
            }
        }
        return pass
    }

    private static func mark(_ id: Int64, _ status: String, error: String?, in c: SQLiteConnection) throws {
        try c.run("UPDATE inbox_items SET status = ?, error = ? WHERE id = ? AND status = 'pending'",
                  [.text(status), SQLValue(error), .integer(id)])
    }
}

/// What one applier pass did.
public struct InboundPass: Sendable {
    public var applied = 0
    public var ignored = 0
    public var failed = 0
    /// Counters the steps gathered for the committed items.
    public var counts = MetricCounts()

    public init() {}

    public var handled: Int { applied + ignored + failed }

    public mutating func add(_ other: InboundPass) {
        applied += other.applied
        ignored += other.ignored
        failed += other.failed
        counts.merge(other.counts)
    }
}
