import GatewayKit
import Storage

/// The retention sweep (``RetentionSweep``) as a daily task: run by a ``DailyJob`` at `retention.time` (UTC), and at
/// start when the last completed sweep (`gateway_meta` `retention_completed_at`) is older than the latest slot, so a
/// day missed while the gateway was down is made up — retention needs no cron (`gateway purge` runs the same rules,
/// and both may run: purging is idempotent). Recording the completion in the database is what lets instances sharing
/// one make a day's sweep once between them. A sweep the store refuses is logged, counted and tried again at the
/// next look at the clock.
///
/// Counts `gateway_retention_runs_total{outcome}` and `gateway_retention_purged_total{what}` (rows removed or emptied
/// per rule, each run).
public struct RetentionTask: DailyTask {
    /// How often the job looks at the clock.
    public static let pollMilliseconds = 60_000

    private let rules: [RetentionRule]
    private let database: any Database
    private let metrics: MetricsRegistry
    private let log: EventLog

    public init(rules: [RetentionRule], database: any Database, metrics: MetricsRegistry, log: EventLog) {
        self.rules = rules
        self.database = database
        self.metrics = metrics
        self.log = log
    }

    /// The daily job: at `minuteOfDay` minutes after midnight UTC, and at start.
    public static func job(rules: [RetentionRule], database: any Database, minuteOfDay: Int, metrics: MetricsRegistry,
                           log: EventLog, clock: @escaping @Sendable () -> Int64) -> DailyJob {
        DailyJob(name: "retention", schedule: DailySchedule(minuteOfDay: minuteOfDay, timeZone: "UTC"),
                 task: RetentionTask(rules: rules, database: database, metrics: metrics, log: log),
                 pollMilliseconds: pollMilliseconds, clock: clock)
    }

    /// `gateway_meta` key of the last completed sweep's time (unix ms).
    static let completedKey = "retention_completed_at"

    public func lastCompletion(notAfter now: Int64) -> Int64? {
        let recorded = try? database.read { try GatewayMeta.value(Self.completedKey, in: $0) }
        return (recorded ?? nil).flatMap { Int64($0) }.map { min($0, now) }
    }

    public func run(attempt: Int, now: Int64) -> DailyRunOutcome {
        do {
            let report = try RetentionSweep.run(rules, on: database, now: now)
            try database.write { try GatewayMeta.raise(Self.completedKey, to: now, in: $0) }
            metrics.increment("gateway_retention_runs_total", [("outcome", "success")],
                              help: "In-process retention purges, by outcome")
            for (what, count) in report.sorted(by: { $0.key < $1.key }) {
                metrics.increment("gateway_retention_purged_total", [("what", what)], by: Double(count),
                                  help: "Rows removed or emptied by the retention purge")
            }
            log.info("retention_purged", ["rows": report.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                                            .joined(separator: ",")])
            return .done
        } catch {
            metrics.increment("gateway_retention_runs_total", [("outcome", "failed")],
                              help: "In-process retention purges, by outcome")
            log.error("retention_purge_failed", ["error": "\(error)"])
            return .retry(afterMilliseconds: 0)
        }
    }
}
