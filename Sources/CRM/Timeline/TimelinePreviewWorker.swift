import Delivery
import Foundation
import GatewayKit
import Storage

/// Fetches the chat-history previews of new timeline entries, off the request path: a request only writes the entry
/// (pending) with its record; this worker asks the ``ChatHistorySource`` — a short timeout per attempt, at most
/// `chatPanelMaxAttempts` attempts with doubling delays — and settles each entry once: with the preview, or without
/// it (deeplink and creator badge only), which is logged and counted as `timeline_log_creation_failed`.
///
/// Pending entries are durable, so fetches interrupted by a restart resume. One worker per database.
///
/// Threading: the loop's thread owns `inFlight`; fetch completions (any thread) only append to `finished` under
/// `lock` and wake the loop.
public final class TimelinePreviewWorker: @unchecked Sendable, Service {
    private let store: any GatewayStore
    private let source: (any ChatHistorySource)?
    private let settings: RecordSettings
    private let metrics: MetricsRegistry
    private let log: EventLog
    private let clock: @Sendable () -> Int64
    private let maxInFlight: Int
    private var loop: PollingLoop!

    private let lock = NSLock()
    private var finished: [PreviewOutcome] = []
    /// Loop-thread state: entries whose fetch is running.
    private var inFlight = Set<Int64>()

    /// - Parameters:
    ///   - source: nil when no Chat Panel is configured: entries are settled without a preview at once.
    ///   - pollMilliseconds: how often due retries are looked for when nothing wakes the worker.
    ///   - clock: unix milliseconds (tests move it, then call ``wake()``).
    public init(store: any GatewayStore, source: (any ChatHistorySource)?, settings: RecordSettings,
                metrics: MetricsRegistry, log: EventLog, maxInFlight: Int = 32, pollMilliseconds: Int = 250,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.store = store
        self.source = source
        self.settings = settings
        self.metrics = metrics
        self.log = log
        self.clock = clock
        self.maxInFlight = maxInFlight
        loop = PollingLoop(name: "timeline-fetch", pollIntervalMilliseconds: pollMilliseconds) { [unowned self] in
            pass()
        }
    }

    public func start() { loop.start() }

    /// Looks for due entries now (after a commit that wrote entries, or when a fetch finished).
    public func wake() { loop.wake() }

    /// Stops the thread and the source; unfinished entries stay pending for the next start. Idempotent.
    public func stop() {
        loop.stop()
        source?.shutdown()
    }

    /// Records finished fetches, then starts fetches for due entries; true when finished ones are already waiting.
    private func pass() -> Bool {
        lock.lock()
        let outcomes = finished
        finished.removeAll()
        lock.unlock()
        if !outcomes.isEmpty { record(outcomes) }
        startDueFetches()
        lock.lock()
        defer { lock.unlock() }
        return !finished.isEmpty
    }

    private func startDueFetches() {
        let now = clock()
        let room = maxInFlight - inFlight.count
        guard room > 0 else { return }
        let due: [PendingPreview]
        do {
            due = try store.read { try TimelineTable.due(now: now, limit: room + inFlight.count, in: $0) }
        } catch {
            log.error("timeline_preview_read_failed", ["error": "\(error)"])
            return
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

    /// Hands a finished fetch to the loop's thread, which records and reports it.
    private func deliver(_ outcome: PreviewOutcome) {
        lock.lock()
        finished.append(outcome)
        lock.unlock()
        loop.wake()
    }

    private func record(_ outcomes: [PreviewOutcome]) {
        do {
            try store.database.write { connection in
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
