import Foundation
import GatewayKit
import Storage

/// Runs the ``RenewalScheduler`` once a day at `renewals.run_time` (in `pos.default_time_zone`) on the single writer,
/// in one transaction. A day whose run time passed while the gateway was down is run at start; a run the store
/// refuses (or that finds sends not configured) is retried after a minute. Runs count in
/// `gateway_renewal_runs_total{outcome}` and attempts in `gateway_renewal_reminders_total{result}`.
///
/// Time comes from the injected clock, so tests move it and call ``wake()``. Thread: one polling loop owns the state.
public final class RenewalDailyJob: @unchecked Sendable, Service {
    /// Wait before a failed run is tried again.
    static let retryDelayMilliseconds: Int64 = 60_000

    private let scheduler: RenewalScheduler
    private let writer: SQLiteWriter
    private let metrics: MetricsRegistry
    private let log: EventLog
    private let clock: @Sendable () -> Int64
    private var loop: PollingLoop!

    // Loop-thread state.
    private var lastCompletedSlot: Int64?
    private var retryAt: Int64 = .min

    public init(scheduler: RenewalScheduler, writer: SQLiteWriter, metrics: MetricsRegistry, log: EventLog,
                pollMilliseconds: Int = 1_000, clock: @escaping @Sendable () -> Int64) {
        self.scheduler = scheduler
        self.writer = writer
        self.metrics = metrics
        self.log = log
        self.clock = clock
        loop = PollingLoop(name: "renewals", pollIntervalMilliseconds: pollMilliseconds) { [unowned self] in
            pass()
            return false
        }
    }

    public func start() { loop.start() }

    /// Looks at the clock now (tests call it after moving time).
    public func wake() { loop.wake() }

    public func stop() { loop.stop() }

    private func pass() {
        let now = clock()
        let scheduler = self.scheduler
        let schedule = scheduler.schedule
        do {
            if lastCompletedSlot == nil {
                lastCompletedSlot = try writer.perform { try RenewalRunLog.lastRunAt(notAfter: now, in: $0) }
                    .map { schedule.latestSlot(atOrBefore: $0) } ?? .min
            }
            let slot = schedule.latestSlot(atOrBefore: now)
            guard slot > lastCompletedSlot ?? .min, now >= retryAt else { return }
            let report = try writer.perform { try scheduler.run(at: now, in: $0) }
            lastCompletedSlot = slot
            Self.count(report, in: metrics)
            metrics.increment("gateway_renewal_runs_total", [("outcome", "success")],
                              help: "Daily renewal runs, by outcome")
            log.info("renewal_run", ["date": report.date.description, "report": report.description])
        } catch {
            retryAt = now + Self.retryDelayMilliseconds
            metrics.increment("gateway_renewal_runs_total", [("outcome", "failed")],
                              help: "Daily renewal runs, by outcome")
            log.error("renewal_run_failed", ["error": "\(error)", "retry_in": "1m"])
        }
    }

    /// Adds a run's attempts to `gateway_renewal_reminders_total{result}`.
    private static func count(_ report: RenewalRunReport, in metrics: MetricsRegistry) {
        for (result, count) in report.attempts {
            metrics.increment("gateway_renewal_reminders_total", [("result", result.rawValue)], by: Double(count),
                              help: "Renewal reminder attempts, by result (sent, rescheduled, skip reasons, failed)")
        }
    }
}
