import Delivery
import Foundation
import GatewayKit

/// The daily POS pull as a task, run by a ``DailyJob`` at `pos.sync_time` (in `pos.default_time_zone`): a failed
/// attempt is retried after `pos.sync_retry_delay` (doubling) up to `pos.sync_max_attempts`; a pull that still fails
/// is given up until the next day, counted in `gateway_pos_sync_runs_total{outcome="failed"}` and logged at error
/// level (`pos_sync_failed`) — `Config/alerts/pos.rules.yml` pages on both that and a stale last success. A day's
/// slot that passed while the gateway was down (no success recorded since) is pulled at start.
public final class POSSyncTask: DailyTask, @unchecked Sendable {
    private let pull: POSPull
    private let metrics: MetricsRegistry
    private let log: EventLog
    /// Guarded by `lock`: read by the metrics scrape.
    private let lock = NSLock()
    private var lastSuccessAt: Int64?

    public init(pull: POSPull, metrics: MetricsRegistry, log: EventLog) {
        self.pull = pull
        self.metrics = metrics
        self.log = log
        metrics.registerGauge("gateway_pos_sync_last_success_timestamp_seconds",
                              help: "Unix time of the last successful POS pull (0 = none yet)") { [weak self] in
            [(labels: [], value: Double(self?.lastSuccess ?? 0) / 1000)]
        }
    }

    /// The daily job, looking at the clock every `pollMilliseconds`.
    public static func job(pull: POSPull, settings: POSSettings, metrics: MetricsRegistry, log: EventLog,
                           pollMilliseconds: Int = 1_000, clock: @escaping @Sendable () -> Int64) -> DailyJob {
        DailyJob(name: "pos-sync",
                 schedule: DailySchedule(minuteOfDay: settings.syncMinuteOfDay, timeZone: settings.defaultTimeZone),
                 task: POSSyncTask(pull: pull, metrics: metrics, log: log), pollMilliseconds: pollMilliseconds,
                 clock: clock)
    }

    public func lastCompletion(notAfter now: Int64) -> Int64? {
        let last = pull.lastSuccess()
        lock.withLock { lastSuccessAt = last }
        return last
    }

    public func run(attempt: Int, now: Int64) -> DailyRunOutcome {
        switch pull.attempt(attempt, now: now) {
        case .success:
            lock.withLock { lastSuccessAt = now }
            count("success")
            return .done
        case .failure(let failure):
            if let delay = pull.retryDelay(after: attempt, failure) { return .retry(afterMilliseconds: delay) }
            log.error("pos_sync_failed", ["attempts": String(attempt), "reason": failure.reason,
                                          "error": failure.detail, "kept": "last good data"])
            count("failed")
            return .givenUp
        }
    }

    /// Fails a download in progress.
    public func cancel() { pull.shutdown() }

    private var lastSuccess: Int64? { lock.withLock { lastSuccessAt } }

    private func count(_ outcome: String) {
        metrics.increment("gateway_pos_sync_runs_total", [("outcome", outcome)],
                          help: "Daily POS pulls, by final outcome (failed = every attempt failed; data kept)")
    }
}
