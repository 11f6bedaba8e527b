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
        loop = PollingLoop(name: "identity-applier", pollIntervalMilliseconds: pollIntervalMilliseconds) { [self] in
            drainOnce() >= batchSize
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
    static func applyPending(limit: Int, _ resolver: IdentityResolver,
                             in c: SQLiteConnection) throws -> IdentityPass {
        let rows = try c.query("""
            SELECT id, kind, payload, occurred_at FROM inbox_items
            WHERE status = 'pending' AND kind IN ('contact', 'message', 'identity_change') ORDER BY id LIMIT ?
            """, [.integer(Int64(limit))])
        var pass = IdentityPass()
        for row in rows {
            guard let id = row.int64("id") else { continue }
            let changes = IdentityChangeSet(connection: c, actor: "whatsapp:item:\(id)")
            do {
                let applied = try c.savepoint { () throws -> Bool in
                    let applied = try apply(row, resolver, in: changes)
                    try changes.finish()
                    try mark(id, applied ? "applied" : "ignored", error: nil, in: c)
                    return applied
                }
                pass.counters.add(changes.counters)
                if applied { pass.applied += 1 } else { pass.ignored += 1 }
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

    /// True when the item changed or matched something, false when it identifies nobody in this mode.
    private static func apply(_ row: Row, _ resolver: IdentityResolver, in changes: IdentityChangeSet) throws -> Bool {
        let payload = try JSONParser.parse(Array((row.string("payload") ?? "").utf8))
        switch try InboundEvent(json: payload) {
        case .contact(let contact):
            let claim = try IdentityClaim(contact: contact, at: row.int64("occurred_at") ?? 0)
            return try resolver.resolve(claim, in: changes) != nil
        case .message(let message):
            guard message.senderPhone != nil || message.senderUserID != nil else { return false }
            return try resolver.resolve(try IdentityClaim(sender: message), in: changes) != nil
        case .identityChange(let change):
            return try IdentityChangeApplier(resolver: resolver).apply(change, in: changes) != nil
        case .status:
            return false
        }
    }

    private static func mark(_ id: Int64, _ status: String, error: String?, in c: SQLiteConnection) throws {
        try c.run("UPDATE inbox_items SET status = ?, error = ? WHERE id = ? AND status = 'pending'",
                  [.text(status), SQLValue(error), .integer(id)])
    }
}

/// What one applier pass did.
struct IdentityPass: Sendable {
    var applied = 0
    var ignored = 0
    var failed = 0
    var counters = IdentityCounters()
}
