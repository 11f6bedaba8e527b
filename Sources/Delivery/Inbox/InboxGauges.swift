import GatewayKit
import Storage

/// Registers the inbox gauges, read at scrape time: how far applying lags behind acknowledging. A webhook is
/// acknowledged once it is in the inbox; it is applied when its delivery is normalized and every item of it has gone
/// through the inbound steps. The backlog counts what waits at each stage, the lag is the age (since receipt) of the
/// oldest delivery not fully applied — what an alert watches.
public enum InboxGauges {
    /// - Parameter now: unix ms, for the lag.
    public static func register(in registry: MetricsRegistry, store: any GatewayStore,
                                now: @escaping @Sendable () -> Int64) {
        registry.registerGauge("gateway_inbox_depth", help: "Deliveries committed but not yet normalized") {
            [(labels: [], value: Double((try? store.inboxDepth()) ?? -1))]
        }
        registry.registerGauge("gateway_inbox_backlog", help: "Work acknowledged but not yet applied: deliveries "
                               + "waiting for normalization (stage=normalize) and items waiting for the inbound "
                               + "steps (stage=apply); -1 when the store cannot be read") {
            let counts = try? store.inboxBacklog()
            return [(labels: [("stage", "normalize")], value: counts.map { Double($0.deliveries) } ?? -1),
                    (labels: [("stage", "apply")], value: counts.map { Double($0.items) } ?? -1)]
        }
        registry.registerGauge("gateway_inbox_lag_seconds", help: "Age since receipt of the oldest delivery not yet "
                               + "fully applied (0 when none; -1 when the store cannot be read)") {
            let oldest: Int64?
            do {
                oldest = try store.oldestUnappliedReceivedAt()
            } catch {
                return [(labels: [], value: -1)]
            }
            return [(labels: [], value: oldest.map { max(0, Double(now() - $0) / 1000) } ?? 0)]
        }
    }
}

/// What waits between acknowledgement and application; each gauge reads only what it shows.
enum InboxBacklog {
    /// Deliveries not yet normalized, and items not yet through the inbound steps.
    static func counts(in connection: any DatabaseConnection) throws -> (deliveries: Int, items: Int) {
        let deliveries = try connection.queryOne("SELECT count(*) AS n FROM inbox WHERE status = 'pending'")
        let items = try connection.queryOne("SELECT count(*) AS n FROM inbox_items WHERE status = 'pending'")
        return (deliveries?.int("n") ?? 0, items?.int("n") ?? 0)
    }

    /// Receipt time (unix ms) of the oldest delivery that is not normalized or has items still pending; nil when
    /// everything is applied.
    static func oldestReceivedAt(in connection: any DatabaseConnection) throws -> Int64? {
        let unread = try connection.queryOne("""
            SELECT received_at FROM inbox WHERE status = 'pending' ORDER BY id LIMIT 1
            """)?.int64("received_at")
        let unapplied = try connection.queryOne(oldestWithPendingItems)?.int64("received_at")
        return [unread, unapplied].compactMap { $0 }.min()
    }

    /// The receipt time of the oldest delivery with items still pending. `+inbox_id`: without it SQLite answers min()
    /// by walking the index on inbox_id from the oldest item and testing each one's status — every item ever applied,
    /// on each scrape, when nothing is pending. With it, only the pending items' partial index is read.
    static let oldestWithPendingItems = """
        SELECT received_at FROM inbox
        WHERE id = (SELECT min(+inbox_id) FROM inbox_items WHERE status = 'pending')
        """
}
