import GatewayKit
import Storage

/// Registers the inbox gauges, read at scrape time: how far applying lags behind acknowledging. A webhook is
/// acknowledged once it is in the inbox; it is applied when its delivery is normalized and every item of it has gone
/// through the inbound steps. The backlog counts what waits at each stage, the lag is the age (since receipt) of the
/// oldest delivery not fully applied — what an alert watches.
public enum InboxGauges {
    /// - Parameter now: unix ms, for the lag.
    public static func register(in registry: MetricsRegistry, store: SQLiteGatewayStore,
                                now: @escaping @Sendable () -> Int64) {
        registry.registerGauge("gateway_inbox_depth", help: "Deliveries committed but not yet normalized") {
            [(labels: [], value: Double((try? store.inboxDepth()) ?? -1))]
        }
        registry.registerGauge("gateway_inbox_backlog", help: "Work acknowledged but not yet applied: deliveries "
                               + "waiting for normalization (stage=normalize) and items waiting for the inbound "
                               + "steps (stage=apply); -1 when the store cannot be read") {
            let backlog = try? store.read { try InboxBacklog.read(in: $0) }
            return [(labels: [("stage", "normalize")], value: backlog.map { Double($0.deliveries) } ?? -1),
                    (labels: [("stage", "apply")], value: backlog.map { Double($0.items) } ?? -1)]
        }
        registry.registerGauge("gateway_inbox_lag_seconds", help: "Age since receipt of the oldest delivery not yet "
                               + "fully applied (0 when none; -1 when the store cannot be read)") {
            guard let backlog = try? store.read({ try InboxBacklog.read(in: $0) }) else {
                return [(labels: [], value: -1)]
            }
            let lag = backlog.oldestReceivedAt.map { max(0, Double(now() - $0) / 1000) } ?? 0
            return [(labels: [], value: lag)]
        }
    }
}

/// What waits between acknowledgement and application.
struct InboxBacklog: Sendable {
    var deliveries = 0
    var items = 0
    /// Receipt time (unix ms) of the oldest delivery that is not normalized or has items still pending.
    var oldestReceivedAt: Int64?

    static func read(in connection: SQLiteConnection) throws -> InboxBacklog {
        var backlog = InboxBacklog()
        let pending = try connection.queryOne("""
            SELECT count(*) AS n, min(received_at) AS oldest FROM inbox WHERE status = 'pending'
            """)
        backlog.deliveries = pending?.int("n") ?? 0
        let items = try connection.queryOne("""
            SELECT count(*) AS n, min(inbox_id) AS first FROM inbox_items WHERE status = 'pending'
            """)
        backlog.items = items?.int("n") ?? 0
        let oldestItem = try items?.int64("first").flatMap { first in
            try connection.queryOne("SELECT received_at FROM inbox WHERE id = ?", [.integer(first)])?
                .int64("received_at")
        }
        backlog.oldestReceivedAt = [pending?.int64("oldest"), oldestItem].compactMap { $0 }.min()
        return backlog
    }
}
