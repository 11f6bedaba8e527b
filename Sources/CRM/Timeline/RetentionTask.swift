import Delivery
import GatewayKit

/// The retention purge (``RetentionPurge``: timeline entries older than a year, old Idempotency-Keys) as a daily
/// task: run by a ``DailyJob`` at `retention.time` (UTC) and once at every start, so a day missed while the gateway
/// was down is made up — retention needs no cron (`gateway purge` still works, and both may run: the purge is
/// idempotent). A purge the store refuses is logged, counted and tried again at the next look at the clock.
///
/// Counts `gateway_retention_runs_total{outcome}` and `gateway_retention_purged_total{what}`.
public struct RetentionTask: DailyTask {
    /// How often the job looks at the clock.
    public static let pollMilliseconds = 60_000

    private let store: any GatewayStore
    private let metrics: MetricsRegistry
    private let log: EventLog

    public init(store: any GatewayStore, metrics: MetricsRegistry, log: EventLog) {
        self.store = store
        self.metrics = metrics
        self.log = log
    }

    /// The daily job: at `minuteOfDay` minutes after midnight UTC, and at start.
    public static func job(store: any GatewayStore, minuteOfDay: Int, metrics: MetricsRegistry, log: EventLog,
                           clock: @escaping @Sendable () -> Int64) -> DailyJob {
        DailyJob(name: "retention", schedule: DailySchedule(minuteOfDay: minuteOfDay, timeZone: "UTC"),
                 task: RetentionTask(store: store, metrics: metrics, log: log), pollMilliseconds: pollMilliseconds,
                 clock: clock)
    }

    /// Not recorded: every start purges once (cheap when there is nothing to purge).
    public func lastCompletion(notAfter now: Int64) -> Int64? { nil }

    public func run(attempt: Int, now: Int64) -> DailyRunOutcome {
        do {
            let report = try RetentionPurge.run(store: store, now: now)
            metrics.increment("gateway_retention_runs_total", [("outcome", "success")],
                              help: "In-process retention purges, by outcome")
            metrics.increment("gateway_retention_purged_total", [("what", "timeline_entries")],
                              by: Double(report.timelineEntries), help: "Rows deleted by the retention purge")
            metrics.increment("gateway_retention_purged_total", [("what", "idempotency_keys")],
                              by: Double(report.idempotencyKeys), help: "Rows deleted by the retention purge")
            log.info("retention_purged", ["timeline_entries": String(report.timelineEntries),
                                          "idempotency_keys": String(report.idempotencyKeys)])
            return .done
        } catch {
            metrics.increment("gateway_retention_runs_total", [("outcome", "failed")],
                              help: "In-process retention purges, by outcome")
            log.error("retention_purge_failed", ["error": "\(error)"])
            return .retry(afterMilliseconds: 0)
        }
    }
}
