import Foundation
import GatewayKit
import Messaging
import Storage

/// Downloads inbound media in the background, off the conversation: a message is filed at once with its media
/// `pending` (``TicketMediaStep``), and this worker later fetches the file through the Cloud API, checks it
/// (``MediaDownload``) and stores it content-addressed (``MediaFileStore``), recording on the message `stored` (with
/// SHA-256, MIME type and size) or `failed` with the reason. Failures that may pass (Meta unavailable, a timeout, a
/// rate limit) are retried after `media.retry_delay`, doubling up to an hour, until `media.max_attempts`.
///
/// The queue is the `ticket_media` table, so a crash loses no download: an attempt in progress holds its row until
/// its deadline and is then tried again, and a file is only ever placed whole (renamed inside the transaction that
/// records it, so the retention sweep, which removes files right after its own commit, can never remove a file a
/// download has just recorded).
public final class MediaDownloader: @unchecked Sendable, Service {
    private let database: any Database
    private let download: MediaDownload
    private let settings: MediaSettings
    private let metrics: MetricsRegistry
    private let log: EventLog
    private let clock: @Sendable () -> Int64
    private var loop: PollingLoop?

    public init(database: any Database, source: any WhatsAppMediaSource, files: MediaFileStore,
                settings: MediaSettings, metrics: MetricsRegistry, log: EventLog, clock: @escaping @Sendable () -> Int64) {
        self.database = database
        download = MediaDownload(source: source, files: files, maxBytes: settings.maxBytes)
        self.settings = settings
        self.metrics = metrics
        self.log = log
        self.clock = clock
        let batch = settings.concurrency
        loop = PollingLoop(name: "media-download", pollIntervalMilliseconds: settings.pollIntervalMilliseconds) {
            [weak self] in (self?.runOnce() ?? 0) >= batch
        }
    }

    public func start() throws {
        try download.files.prepare()
        loop?.start()
    }

    public func wake() { loop?.wake() }
    public func stop() { loop?.stop() }

    /// Downloads waiting (queued, retrying or in progress), for the backlog gauge; nil when the store cannot say.
    public func backlog() -> Int? {
        try? database.read { try TicketMediaTable.count(status: "pending", in: $0) }
    }

    /// One pass now, on the caller's thread: up to `media.concurrency` due downloads, run side by side; returns how
    /// many were attempted.
    @discardableResult
    public func runOnce() -> Int {
        let now = clock()
        let lease = now + 2 * Int64(settings.downloadTimeoutMilliseconds) + 60_000
        let limit = settings.concurrency
        let jobs: [TicketMediaTable.Job]
        do {
            jobs = try database.write { c in try TicketMediaTable.claim(now: now, limit: limit, leaseUntil: lease, in: c) }
        } catch {
            log.error("media_download_claim_failed", ["error": "\(error)"])
            return 0
        }
        let outcomes = OutcomeSlots(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            outcomes.set(index, download.attempt(jobs[index]))
        }
        record(Array(zip(jobs, outcomes.values)))
        return jobs.count
    }

    /// Records a pass's outcomes in one transaction (one commit for the pass, not one per file).
    private func record(_ attempts: [(TicketMediaTable.Job, MediaDownload.Outcome)]) {
        let now = clock()
        let (files, settings) = (download.files, settings)
        let results: [String]
        do {
            results = try database.write { c in
                try attempts.map { job, outcome in try Self.record(outcome, of: job, files: files, settings, now: now, in: c) }
            }
        } catch {
            for case (_, .verified(let path, _, _, _)) in attempts { files.discard(path) }
            log.error("media_download_record_failed", ["downloads": String(attempts.count), "error": "\(error)"])
            results = attempts.map { _ in "error" }
        }
        for ((job, _), result) in zip(attempts, results) {
            metrics.increment("gateway_media_downloads_total", [("outcome", result)],
                              help: "Inbound media download attempts, by outcome (stored, retry, or the failure reason)")
            if result != "stored" && result != "retry" {
                log.warning("media_download_failed", ["ticket_message_id": String(job.ticketMessageID), "reason": result])
            }
        }
    }

    /// Records one attempt's outcome; the metric label for it.
    private static func record(_ outcome: MediaDownload.Outcome, of job: TicketMediaTable.Job, files: MediaFileStore,
                               _ settings: MediaSettings, now: Int64, in c: any DatabaseConnection) throws -> String {
        let id = job.ticketMessageID
        switch outcome {
        case .verified(let path, let sha256, let size, let mimeType):
            try files.place(path, sha256: sha256)
            try TicketMediaTable.markStored(id, sha256: sha256, sizeBytes: size, mimeType: mimeType, now: now, in: c)
            return "stored"
        case .failed(let reason, let detail, let mimeType, let size):
            try TicketMediaTable.markFailed(id, reason: reason, detail: detail, mimeType: mimeType, sizeBytes: size,
                                            now: now, in: c)
            return reason
        case .retry(let reason, let detail) where job.attempts >= settings.maxAttempts:
            try TicketMediaTable.markFailed(id, reason: "gave_up", detail: "\(job.attempts) attempts; the last: "
                                            + "\(reason): \(detail)", mimeType: nil, sizeBytes: nil, now: now, in: c)
            return "gave_up"
        case .retry(let reason, let detail):
            try TicketMediaTable.retry(id, at: now + delay(after: job.attempts, settings), reason: reason,
                                       detail: detail, now: now, in: c)
            return "retry"
        }
    }

    /// `media.retry_delay` doubled for each attempt after the first, at most an hour.
    static func delay(after attempts: Int, _ settings: MediaSettings) -> Int64 {
        let base = Int64(settings.retryDelayMilliseconds)
        return min(3_600_000, base << Int64(min(max(attempts - 1, 0), 20)))
    }
}

/// The outcomes of one pass's downloads, filled from several threads.
private final class OutcomeSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [MediaDownload.Outcome?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: MediaDownload.Outcome) {
        lock.lock()
        slots[index] = outcome
        lock.unlock()
    }

    var values: [MediaDownload.Outcome] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0 ?? .retry(reason: "internal", detail: "no outcome") }
    }
}
