import Delivery
import Foundation
import GatewayKit
import Storage

/// The consumer of WhatsApp delivery statuses: applies pending `status` inbox items to the outbound message rows
/// through the ``WhatsAppMessageLedger`` and records their conversation, pricing and `played` facts in
/// ``WhatsAppMessageDetails`` (each marked `applied`, `ignored` — a status this gateway does not track and that says
/// nothing else, such as `deleted` — or `failed`, in the same transaction; see ``InboxItemPass``). A status for a `wamid` no
/// message has yet is kept (`applied`, counted as unmatched) and applied when the send records that `wamid`.
/// Statuses recorded while the inbound applier runs on the embedded engine are applied as they are recorded
/// (``WhatsAppStatusStep``): this one takes the rest (PostgreSQL, recovery).
public final class WhatsAppStatusApplier: Sendable, Service {
    static let kinds = ["status"]
    /// Status items handled, by outcome, whichever consumer handled them.
    public static let series = InboxItemSeries(metric: "gateway_whatsapp_status_items_total",
                                               help: "WhatsApp status inbox items handled, by outcome")
    static let unmatchedMetric = "gateway_whatsapp_statuses_unmatched_total"
    static let unmatchedHelp = "WhatsApp statuses that arrived before their message's wamid was recorded"
    private let drain: @Sendable () -> Int
    private let loop: PollingLoop

    /// - Parameter clock: unix ms (when an unmatched status was received).
    public init(database: any Database, ledger: WhatsAppMessageLedger, metrics: MetricsRegistry,
                pollIntervalMilliseconds: Int, batchSize: Int, clock: @escaping @Sendable () -> Int64) {
        let drain: @Sendable () -> Int = {
            Self.drain(database: database, ledger: ledger, metrics: metrics, limit: batchSize, now: clock())
        }
        self.drain = drain
        loop = PollingLoop(name: "wa-statuses", pollIntervalMilliseconds: pollIntervalMilliseconds) {
            drain() >= batchSize
        }
    }

    /// Runs on its own thread until ``stop()``, woken by ``wake()`` or the poll interval.
    public func start() { loop.start() }
    public func wake() { loop.wake() }
    public func stop() { loop.stop() }

    /// Applies up to one batch of pending statuses on the caller's thread; returns how many items were handled.
    @discardableResult
    public func drainOnce() -> Int { drain() }

    private static func drain(database: any Database, ledger: WhatsAppMessageLedger, metrics: MetricsRegistry,
                              limit: Int, now: Int64) -> Int {
        do {
            let pass = try database.write { connection in
                try Self.applyPending(limit: limit, ledger, now: now, in: connection)
            }
            InboxItemPass.count(pass.tally, as: series.metric, help: series.help, in: metrics)
            if pass.unmatched > 0 {
                metrics.increment(unmatchedMetric, by: Double(pass.unmatched), help: unmatchedHelp)
            }
            return pass.tally.total
        } catch {
            // Store trouble: the items stay pending and the next pass retries them.
            metrics.increment("gateway_whatsapp_status_errors_total", help: "WhatsApp status passes the store refused")
            return 0
        }
    }

    /// One pass on the writer's connection.
    public static func applyPending(limit: Int, _ ledger: WhatsAppMessageLedger, now: Int64,
                                    in connection: any DatabaseConnection) throws -> WhatsAppStatusPass {
        var pass = WhatsAppStatusPass()
        pass.tally = try InboxItemPass.run(kinds: kinds, limit: limit, in: connection) { _, event, _ in
            guard case .status(let report) = event else { return .ignored }
            let applied = try apply(report, ledger: ledger, now: now, in: connection)
            if applied.unmatched { pass.unmatched += 1 }
            return applied.verdict
        }
        return pass
    }

    /// One status: its details recorded, then the message's status moved through the ledger (`now`: unix ms, when
    /// it was received). `ignored` when it says nothing this gateway keeps; `unmatched` when it was kept for a `wamid`
    /// no message has yet.
    static func apply(_ report: InboundStatus, ledger: WhatsAppMessageLedger, now: Int64,
                      in connection: any DatabaseConnection) throws -> (verdict: InboxItemPass.Verdict, unmatched: Bool) {
        let detailed = try WhatsAppMessageDetails.record(report, now: now, in: connection)
        guard let status = WhatsAppMessageStatus(report.state) else { return (detailed ? .applied : .ignored, false) }
        let error = report.errors.first.map { error in
            WhatsAppMessageError(code: error.code, title: error.title ?? error.message ?? "failed",
                                 detail: error.details ?? error.message)
        }
        let outcome = try ledger.report(wamid: report.messageID, status: status, at: report.timestamp * 1000,
                                        error: error, receivedAt: now, in: connection)
        return (.applied, outcome == .unmatched)
    }
}

/// What one status pass did.
public struct WhatsAppStatusPass: Sendable {
    public var tally = InboxItemPass.Tally()
    /// Statuses kept for a `wamid` no message has yet.
    public var unmatched = 0
}
