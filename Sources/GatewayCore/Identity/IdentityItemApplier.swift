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
            InboxItemPass.count(pass.tally, as: "gateway_identity_items_total",
                                help: "Inbox items handled by the identity applier, by outcome", in: metrics)
            return pass.tally.total
        } catch {
            // Store trouble: the items stay pending and the next pass retries them.
            metrics.increment("gateway_identity_errors_total", help: "Identity applier passes the store refused")
            return 0
        }
    }

    /// One pass on the writer's connection (also used directly by tests and the benchmark).
    public static func applyPending(limit: Int, _ resolver: IdentityResolver,
                                    in c: SQLiteConnection) throws -> IdentityPass {
        var pass = IdentityPass()
        pass.tally = try InboxItemPass.run(kinds: kinds, limit: limit, in: c) { id, event, occurredAt in
            let application = try resolver.apply(event, occurredAt: occurredAt, actor: "whatsapp:item:\(id)", in: c)
            pass.counters.add(application.counters)
            return application.contactID == nil ? .ignored : .applied
        }
        return pass
    }
}

/// What one applier pass did.
public struct IdentityPass: Sendable {
    public var tally = InboxItemPass.Tally()
    public var counters = IdentityCounters()

    public var applied: Int { tally.applied }
    public var ignored: Int { tally.ignored }
    public var failed: Int { tally.failed }
}
