import GatewayKit
import Storage

/// The daily renewal run as a task: ``RenewalScheduler`` on the single writer, in one transaction, run by a
/// ``DailyJob`` at `renewals.run_time` (in `pos.default_time_zone`). A day whose run time passed while the gateway was
/// down is run at start (the last run is in `renewal_runs`); a run the store refuses (or that finds sends not
/// configured) is retried after a minute. Runs count in `gateway_renewal_runs_total{outcome}` and attempts in
/// `gateway_renewal_reminders_total{result}`.
public struct RenewalRunTask: DailyTask {
    /// Wait before a failed run is tried again.
    static let retryDelayMilliseconds: Int64 = 60_000

    private let scheduler: RenewalScheduler
    private let database: any Database
    private let metrics: MetricsRegistry
    private let log: EventLog

    public init(scheduler: RenewalScheduler, database: any Database, metrics: MetricsRegistry, log: EventLog) {
        self.scheduler = scheduler
        self.database = database
        self.metrics = metrics
        self.log = log
    }

    /// The daily job, looking at the clock every `pollMilliseconds`.
    public static func job(scheduler: RenewalScheduler, database: any Database, metrics: MetricsRegistry, log: EventLog,
                           pollMilliseconds: Int = 1_000, clock: @escaping @Sendable () -> Int64) -> DailyJob {
        DailyJob(name: "renewals", schedule: scheduler.schedule,
                 task: RenewalRunTask(scheduler: scheduler, database: database, metrics: metrics, log: log),
                 pollMilliseconds: pollMilliseconds, clock: clock)
    }

    /// The latest recorded run; unreadable counts as none (the run is idempotent, so running again is safe).
    public func lastCompletion(notAfter now: Int64) -> Int64? {
        do {
            return try database.write { try RenewalRunLog.lastRunAt(notAfter: now, in: $0) }
        } catch {
            log.warning("renewal_run_log_unreadable", ["error": "\(error)"])
            return nil
        }
    }

    public func run(attempt: Int, now: Int64) -> DailyRunOutcome {
        let scheduler = self.scheduler
        do {
            let report = try database.write { try scheduler.run(at: now, in: $0) }
            for (result, count) in report.attempts {
                metrics.increment("gateway_renewal_reminders_total", [("result", result.rawValue)], by: Double(count),
                                  help: "Renewal reminder attempts, by result (sent, rescheduled, skip reasons, failed)")
            }
            metrics.increment("gateway_renewal_runs_total", [("outcome", "success")],
                              help: "Daily renewal runs, by outcome")
            log.info("renewal_run", ["date": report.date.description, "report": report.description])
            return .done
        } catch {
            metrics.increment("gateway_renewal_runs_total", [("outcome", "failed")],
                              help: "Daily renewal runs, by outcome")
            log.error("renewal_run_failed", ["error": "\(error)", "retry_in": "1m"])
            return .retry(afterMilliseconds: Self.retryDelayMilliseconds)
        }
    }
}
