import Foundation
import GatewayKit

/// Runs the POS pull once a day at `pos.sync_time` (in `pos.default_time_zone`), retrying a failed attempt after
/// `pos.sync_retry_delay` (doubling) up to `pos.sync_max_attempts`; a pull that still fails is given up until the
/// next day, counted in `gateway_pos_sync_runs_total{outcome="failed"}` and logged at error level
/// (`pos_sync_failed`) — `Config/alerts/pos.rules.yml` pages on both that and a stale last success.
///
/// A day's slot that passed while the gateway was down (no success recorded since) is pulled at start. Retry times
/// come from the injected clock, so tests move time instead of sleeping. Thread: one polling loop owns the state.
public final class POSDailySync: @unchecked Sendable, Service {
    private struct Run {
        let slot: Int64
        var attempts = 0
        var nextAttemptAt: Int64
    }

    private let pull: POSPull
    private let schedule: DailySchedule
    private let metrics: MetricsRegistry
    private let log: EventLog
    private let clock: @Sendable () -> Int64
    private var loop: PollingLoop!

    // Loop-thread state.
    private var lastCompletedSlot: Int64 = .min
    private var run: Run?
    private var started = false

    // Guarded by `lock`: read by the metrics scrape.
    private let lock = NSLock()
    private var lastSuccessAt: Int64?
    private var stopping = false

    public init(pull: POSPull, settings: POSSettings, metrics: MetricsRegistry, log: EventLog,
                pollMilliseconds: Int = 1_000, clock: @escaping @Sendable () -> Int64) {
        self.pull = pull
        schedule = DailySchedule(minuteOfDay: settings.syncMinuteOfDay, timeZone: settings.defaultTimeZone)
        self.metrics = metrics
        self.log = log
        self.clock = clock
        loop = PollingLoop(name: "pos-sync", pollIntervalMilliseconds: pollMilliseconds) { [unowned self] in
            pass()
            return false
        }
        metrics.registerGauge("gateway_pos_sync_last_success_timestamp_seconds",
                              help: "Unix time of the last successful POS pull (0 = none yet)") { [weak self] in
            [(labels: [], value: Double(self?.lastSuccess ?? 0) / 1000)]
        }
    }

    public func start() { loop.start() }

    /// Looks at the clock now (tests call it after moving time).
    public func wake() { loop.wake() }

    /// Fails a download in progress, stops the loop. Idempotent.
    public func stop() {
        lock.withLock { stopping = true }
        pull.shutdown()
        loop.stop()
    }

    private var lastSuccess: Int64? { lock.withLock { lastSuccessAt } }
    private var isStopping: Bool { lock.withLock { stopping } }

    private func pass() {
        if !started {
            started = true
            let last = pull.lastSuccess()
            lock.withLock { lastSuccessAt = last }
            if let last { lastCompletedSlot = schedule.latestSlot(atOrBefore: last) }
        }
        let now = clock()
        if run == nil {
            let slot = schedule.latestSlot(atOrBefore: now)
            guard slot > lastCompletedSlot else { return }
            run = Run(slot: slot, nextAttemptAt: now)
        }
        guard var current = run, now >= current.nextAttemptAt, !isStopping else { return }
        current.attempts += 1
        let result = pull.attempt(current.attempts, now: now)
        guard !isStopping else { return }
        switch result {
        case .success:
            lock.withLock { lastSuccessAt = now }
            finish(current, outcome: "success")
        case .failure(let failure):
            if let delay = pull.retryDelay(after: current.attempts, failure) {
                current.nextAttemptAt = now + delay
                run = current
            } else {
                log.error("pos_sync_failed", ["attempts": String(current.attempts), "reason": failure.reason,
                                              "error": failure.detail, "kept": "last good data"])
                finish(current, outcome: "failed")
            }
        }
    }

    private func finish(_ run: Run, outcome: String) {
        lastCompletedSlot = run.slot
        self.run = nil
        metrics.increment("gateway_pos_sync_runs_total", [("outcome", outcome)],
                          help: "Daily POS pulls, by final outcome (failed = every attempt failed; data kept)")
    }
}
