import Foundation
import GatewayKit

/// Runs the retention purge (``RetentionPurge``: timeline entries older than a year, old Idempotency-Keys) inside the
/// gateway once a day at `retention.time` (UTC), and once at start so a day missed while the gateway was down is
/// made up — retention needs no cron (`gateway purge` still works, and both may run: the purge is idempotent).
///
/// Reads the injected clock, so tests move it and call ``wake()`` or ``runIfDue()`` instead of waiting a day.
/// Counts `gateway_retention_runs_total{outcome}` and `gateway_retention_purged_total{what}`.
public final class RetentionScheduler: @unchecked Sendable, Service {
    private let store: SQLiteGatewayStore
    private let schedule: DailySchedule
    private let metrics: MetricsRegistry
    private let log: EventLog
    private let clock: @Sendable () -> Int64
    private var loop: PollingLoop!
    /// Guards `lastSlot`: the loop and tests (``runIfDue()``) may both run a pass.
    private let lock = NSLock()
    /// The daily slot (unix ms) of the last purge; nil before the first.
    private var lastSlot: Int64?

    /// - Parameters:
    ///   - minuteOfDay: when the daily purge runs, minutes after midnight UTC.
    ///   - pollMilliseconds: how often the clock is looked at.
    public init(store: SQLiteGatewayStore, minuteOfDay: Int, metrics: MetricsRegistry, log: EventLog,
                pollMilliseconds: Int = 60_000, clock: @escaping @Sendable () -> Int64) {
        self.store = store
        schedule = DailySchedule(minuteOfDay: minuteOfDay, timeZone: "UTC")
        self.metrics = metrics
        self.log = log
        self.clock = clock
        loop = PollingLoop(name: "retention", pollIntervalMilliseconds: pollMilliseconds) { [unowned self] in
            runIfDue()
            return false
        }
    }

    public func start() { loop.start() }

    /// Looks at the clock now (tests call it after moving time).
    public func wake() { loop.wake() }

    public func stop() { loop.stop() }

    /// Purges now if this is the first pass or a daily slot passed since the last purge; returns what was purged, or
    /// nil when nothing was due (or the store refused: logged, counted and tried again at the next pass).
    @discardableResult
    public func runIfDue() -> RetentionPurge.Report? {
        lock.lock()
        defer { lock.unlock() }
        let now = clock()
        let due = schedule.latestSlot(atOrBefore: now)
        if let lastSlot, due <= lastSlot { return nil }
        do {
            let report = try RetentionPurge.run(store: store, now: now)
            lastSlot = due
            metrics.increment("gateway_retention_runs_total", [("outcome", "success")],
                              help: "In-process retention purges, by outcome")
            metrics.increment("gateway_retention_purged_total", [("what", "timeline_entries")],
                              by: Double(report.timelineEntries), help: "Rows deleted by the retention purge")
            metrics.increment("gateway_retention_purged_total", [("what", "idempotency_keys")],
                              by: Double(report.idempotencyKeys), help: "Rows deleted by the retention purge")
            log.info("retention_purged", ["timeline_entries": String(report.timelineEntries),
                                          "idempotency_keys": String(report.idempotencyKeys)])
            return report
        } catch {
            metrics.increment("gateway_retention_runs_total", [("outcome", "failed")],
                              help: "In-process retention purges, by outcome")
            log.error("retention_purge_failed", ["error": "\(error)"])
            return nil
        }
    }
}
