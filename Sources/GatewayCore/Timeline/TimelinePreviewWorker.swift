import Foundation
import Storage

/// Fetches the chat-history previews of new timeline entries, off the request path: a request only writes the entry
/// (pending) with its record; this worker asks the ``ChatHistorySource`` — a short timeout per attempt, at most
/// `chatPanelMaxAttempts` attempts with doubling delays — and settles each entry once: with the preview, or without
/// it (deeplink and creator badge only), which is logged and counted as `timeline_log_creation_failed`.
///
/// Pending entries are durable, so fetches interrupted by a restart resume. One worker per database.
///
/// Threading: the worker thread owns `inFlight`; fetch completions (any thread) only append to `finished` under
/// `condition` and signal it.
public final class TimelinePreviewWorker: @unchecked Sendable {
    private let store: SQLiteGatewayStore
    private let source: (any ChatHistorySource)?
    private let settings: RecordSettings
    private let metrics: MetricsRegistry
    private let log: EventLog
    private let clock: @Sendable () -> Int64
    private let maxInFlight: Int
    private let pollMilliseconds: Int

    private let condition = NSCondition()
    private var finished: [PreviewOutcome] = []
    private var wakeRequested = false
    private var stopping = false
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)
    /// Worker-thread state: entries whose fetch is running.
    private var inFlight = Set<Int64>()

    /// - Parameters:
    ///   - source: nil when no Chat Panel is configured: entries are settled without a preview at once.
    ///   - clock: unix milliseconds (tests move it).
    public init(store: SQLiteGatewayStore, source: (any ChatHistorySource)?, settings: RecordSettings,
                metrics: MetricsRegistry, log: EventLog, maxInFlight: Int = 32, pollMilliseconds: Int = 1_000,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.store = store
        self.source = source
        self.settings = settings
        self.metrics = metrics
        self.log = log
        self.clock = clock
        self.maxInFlight = maxInFlight
        self.pollMilliseconds = pollMilliseconds
    }

    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard thread == nil else { return }
        let thread = Thread { [self] in
            run()
            stopped.signal()
        }
        thread.name = "timeline-previews"
        self.thread = thread
        thread.start()
    }

    /// Looks for due entries now (called after a commit that wrote entries).
    public func wake() {
        condition.lock()
        wakeRequested = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the thread and the source; unfinished entries stay pending for the next start. Idempotent.
    public func stop() {
        condition.lock()
        let running = thread != nil && !stopping
        stopping = true
        condition.signal()
        condition.unlock()
        source?.shutdown()
        if running { stopped.wait() }
    }

    private func run() {
        while true {
            let outcomes = takeFinished()
            if outcomes == nil { return }
            if let outcomes, !outcomes.isEmpty { record(outcomes) }
            let nextDue = startDueFetches()
            waitForWork(until: nextDue)
        }
    }

    /// Outcomes to record; nil once stopping.
    private func takeFinished() -> [PreviewOutcome]? {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return nil }
        let taken = finished
        finished.removeAll()
        return taken
    }

    private func waitForWork(until nextDue: Int64?) {
        let now = clock()
        let sleepMillis = min(Int64(pollMilliseconds), max(0, (nextDue ?? Int64.max) - now))
        condition.lock()
        defer { condition.unlock() }
        if finished.isEmpty && !wakeRequested && !stopping && sleepMillis > 0 {
            _ = condition.wait(until: Date().addingTimeInterval(Double(sleepMillis) / 1000))
        }
        wakeRequested = false
    }

    /// Starts fetches for due entries; returns when the next pending entry becomes due.
    private func startDueFetches() -> Int64? {
        let now = clock()
        let room = maxInFlight - inFlight.count
        guard room > 0 else { return nil }
        let due: [PendingPreview]
        let nextDue: Int64?
        do {
            (due, nextDue) = try store.read { connection in
                (try TimelineTable.due(now: now, limit: room + inFlight.count, in: connection),
                 try TimelineTable.nextDueAt(after: now, in: connection))
            }
        } catch {
            log.error("timeline_preview_read_failed", ["error": "\(error)"])
            return now + Int64(pollMilliseconds)
        }
        for entry in due.lazy.filter({ !self.inFlight.contains($0.id) }).prefix(room) {
            inFlight.insert(entry.id)
            guard let source else {
                deliver(PreviewOutcome(entry: entry, result: .unavailable(.notConfigured)))
                continue
            }
            source.fetchPreview(roomID: entry.roomID) { [self] result in
                deliver(outcome(for: entry, result))
            }
        }
        return nextDue
    }

    private func outcome(for entry: PendingPreview, _ result: ChatHistoryResult) -> PreviewOutcome {
        switch result {
        case .preview(let text):
            return PreviewOutcome(entry: entry, result: .fetched(text))
        case .failed(let failure):
            let attempt = entry.attempts + 1
            if failure.retryable && attempt < settings.chatPanelMaxAttempts {
                let delay = Int64(settings.chatPanelRetryDelayMilliseconds) << min(attempt - 1, 20)
                return PreviewOutcome(entry: entry, result: .retry(at: clock() + delay, failure))
            }
            return PreviewOutcome(entry: entry, result: .unavailable(failure))
        }
    }

    /// Hands a finished fetch to the worker thread, which records and reports it.
    private func deliver(_ outcome: PreviewOutcome) {
        condition.lock()
        finished.append(outcome)
        condition.signal()
        condition.unlock()
    }

    private func record(_ outcomes: [PreviewOutcome]) {
        do {
            try store.writer.perform { connection in
                for outcome in outcomes { try TimelineTable.apply(outcome, in: connection) }
            }
        } catch {
            // Left pending: the entries are fetched again (the preview is settled once either way).
            log.error("timeline_preview_write_failed", ["error": "\(error)", "entries": String(outcomes.count)])
        }
        for outcome in outcomes {
            inFlight.remove(outcome.entry.id)
            report(outcome)
        }
    }

    private func report(_ outcome: PreviewOutcome) {
        let entry = outcome.entry
        switch outcome.result {
        case .fetched:
            metrics.increment("gateway_timeline_previews_total", [("kind", entry.kind.rawValue), ("outcome", "fetched")],
                              help: "Timeline entries settled, by record kind and preview outcome")
        case .retry(_, let failure):
            log.info("timeline_preview_retry", [entry.kind.idParameter: String(entry.recordID), "room_id": entry.roomID,
                                                "attempt": String(entry.attempts + 1), "error_reason": failure.detail])
        case .unavailable(let failure):
            metrics.increment("gateway_timeline_previews_total",
                              [("kind", entry.kind.rawValue), ("outcome", "unavailable")],
                              help: "Timeline entries settled, by record kind and preview outcome")
            metrics.increment("gateway_timeline_log_creation_failed_total",
                              [("kind", entry.kind.rawValue), ("reason", failure.reason)],
                              help: "Timeline entries written without a chat-history preview (Chat Panel failed)")
            log.warning("timeline_log_creation_failed", [
                entry.kind.idParameter: String(entry.recordID), "room_id": entry.roomID, "error_reason": failure.detail,
                "attempts": String(entry.attempts + 1),
            ])
        }
    }
}
