import Foundation
import Storage

/// The identity consumer of the inbox: applies pending `contact`, `message` (the sender) and `identity_change` items
/// to the identity store and marks each `applied` (or `ignored`, or `failed` with its error) in the same transaction
/// as its changes, so every item takes effect exactly once.
///
/// Why a separate worker rather than inside the normalizer's recording transaction: recording must never fail
/// because of identity rules, and a poison item here must fail alone. Each pass is one ``SQLiteWriter`` operation
/// (items in id order, each in its own savepoint): running on the single writer is what serializes two deliveries for
/// the same new user, so they resolve to one customer.
public final class IdentityItemApplier: @unchecked Sendable {
    static let kinds = ["contact", "message", "identity_change"]
    private let writer: SQLiteWriter
    private let resolver: IdentityResolver
    private let metrics: MetricsRegistry
    private let batchSize: Int
    private var loop: PollingLoop?

    public init(writer: SQLiteWriter, mode: IdentityMode, metrics: MetricsRegistry, pollIntervalMilliseconds: Int,
                batchSize: Int) {
        self.writer = writer
        self.resolver = IdentityResolver(mode: mode)
        self.metrics = metrics
        self.batchSize = batchSize
        loop = PollingLoop(name: "identity-apply", pollIntervalMilliseconds: pollIntervalMilliseconds) { [weak self] in
            (self?.drainOnce() ?? 0) >= batchSize
        }
    }

    public func start() { loop?.start() }
    public func wake() { loop?.wake() }
    public func stop() { loop?.stop() }

    /// Applies up to one batch of pending items on the caller's thread; returns how many were handled.
    @discardableResult
    public func drainOnce() -> Int {
        let resolver = self.resolver
        let limit = batchSize
        do {
            let pass = try writer.perform { connection in try Self.applyPending(limit: limit, resolver, in: connection) }
            pass.counters.record(in: metrics)
            let help = "Inbox items handled by the identity applier, by outcome"
            for (outcome, count) in [("applied", pass.applied), ("ignored", pass.ignored), ("failed", pass.failed)]
            where count > 0 {
                metrics.increment("gateway_identity_items_total", [("outcome", outcome)], by: Double(count), help: help)
            }
            return pass.applied + pass.ignored + pass.failed
        } catch {
            // Store trouble: the items stay pending and the next pass retries them.
            metrics.increment("gateway_identity_errors_total", help: "Identity applier passes the store refused")
            return 0
        }
    }

    /// One pass on the writer's connection (also used directly by tests and the benchmark).
    public static func applyPending(limit: Int, _ resolver: IdentityResolver,
                             in c: SQLiteConnection) throws -> IdentityPass {
        let rows = try c.query("""
            SELECT id, kind, payload, occurred_at FROM inbox_items
            WHERE status = 'pending' AND kind IN ('contact', 'message', 'identity_change') ORDER BY id LIMIT ?
            """, [.integer(Int64(limit))])
        var pass = IdentityPass()
        for row in rows {
            guard let id = row.int64("id") else { continue }
            do {
                let application = try c.savepoint { () throws -> IdentityApplication in
                    let event = try InboundEvent(json: try JSONParser.parse(Array((row.string("payload") ?? "").utf8)))
                    let application = try resolver.apply(event, occurredAt: row.int64("occurred_at"),
                                                         actor: "whatsapp:item:\(id)", in: c)
                    try mark(id, application.contactID == nil ? "ignored" : "applied", error: nil, in: c)
                    return application
                }
                pass.counters.add(application.counters)
                if application.contactID == nil { pass.ignored += 1 } else { pass.applied += 1 }
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
public struct IdentityPass: Sendable {
    public var applied = 0
    public var ignored = 0
    public var failed = 0
    public var counters = IdentityCounters()
}
