import Delivery
import GatewayKit

/// Empties ``TicketMessageDeletions`` of words older than `tickets.deleted_message_retention`, daily at the retention
/// time (`retention.time`, UTC) and once at every start, like the other retention purges (`gateway purge` does the
/// same). A purge the store refuses is logged, counted and tried again at the next look at the clock.
/// Counts `gateway_retention_purged_total{what="deleted_message_words"}`.
public struct DeletedMessagePurgeTask: DailyTask {
    private let store: any GatewayStore
    private let retentionMilliseconds: Int64
    private let metrics: MetricsRegistry
    private let log: EventLog

    /// The daily job: at `minuteOfDay` minutes after midnight UTC, and at start.
    public static func job(store: any GatewayStore, retentionMilliseconds: Int64, minuteOfDay: Int,
                           metrics: MetricsRegistry, log: EventLog, clock: @escaping @Sendable () -> Int64) -> DailyJob {
        DailyJob(name: "deleted-message-purge", schedule: DailySchedule(minuteOfDay: minuteOfDay, timeZone: "UTC"),
                 task: DeletedMessagePurgeTask(store: store, retentionMilliseconds: retentionMilliseconds,
                                               metrics: metrics, log: log),
                 pollMilliseconds: 60_000, clock: clock)
    }

    init(store: any GatewayStore, retentionMilliseconds: Int64, metrics: MetricsRegistry, log: EventLog) {
        (self.store, self.retentionMilliseconds, self.metrics, self.log) = (store, retentionMilliseconds, metrics, log)
    }

    /// Not recorded: every start purges once (cheap when there is nothing to purge).
    public func lastCompletion(notAfter now: Int64) -> Int64? { nil }

    public func run(attempt: Int, now: Int64) -> DailyRunOutcome {
        do {
            let purged = try TicketMessageDeletions.purge(store: store, retentionMilliseconds: retentionMilliseconds,
                                                          now: now)
            metrics.increment("gateway_retention_purged_total", [("what", "deleted_message_words")],
                              by: Double(purged), help: "Rows deleted by the retention purge")
            return .done
        } catch {
            metrics.increment("gateway_retention_runs_total", [("outcome", "failed")],
                              help: "In-process retention purges, by outcome")
            log.error("retention_purge_failed", ["what": "deleted_message_words", "error": "\(error)"])
            return .retry(afterMilliseconds: 0)
        }
    }
}
