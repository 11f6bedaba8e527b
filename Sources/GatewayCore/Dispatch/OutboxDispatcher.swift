import Crypto
import Foundation
import HTTPClient
import Storage

/// Delivers the outbox: claims due rows through the single writer under a lease, sends them on one libcurl multi
/// client (many concurrent requests on one thread, keep-alive), and records each outcome — delivered, retried later,
/// or dead-lettered — per ``RetryPolicy``. Per endpoint it enforces the concurrency limit, the rate limit, a circuit
/// breaker and the 410 kill switch; per ordering key it keeps FIFO (the claim query only offers the oldest live row
/// of a key).
///
/// Delivery is at-least-once: a row is marked delivered only after its 2xx, so a crash between the receiver's 2xx
/// and that commit sends it again — with the same `webhook-id` — once the lease expires. A row is never dropped.
///
/// Threading: one dispatcher thread owns all mutable state below; other threads (libcurl's, the writer's, the
/// doorbell) only post to the ``DispatcherMailbox``. Hence `@unchecked Sendable`.
public final class OutboxDispatcher: @unchecked Sendable {
    private let writer: SQLiteWriter
    private let databasePath: String
    private let settings: OutboundSettings
    /// The claim lease actually used (see `init`).
    private let leaseMilliseconds: Int
    private let policy: RetryPolicy
    private let metrics: OutboundMetrics
    private let log: EventLog
    private let clock: @Sendable () -> Int64
    private let client: CurlMultiClient
    /// Per endpoint: how to read answers whose status alone does not tell (default: the status rules).
    private let classifiers: [String: any DeliveryResponseClassifier]
    /// Per endpoint: who is told each outcome in the transaction that records it.
    private let observers: [String: any OutboundDeliveryObserver]
    private let mailbox = DispatcherMailbox()
    /// Written into `lease_owner`: rows this instance claimed.
    private let owner = "dispatcher-" + Hex.encode(SecureRandom.bytes(6))
    private let statusLock = NSLock()
    private var published: [EndpointStatus] = []
    private let lifecycleLock = NSLock()
    private var thread: Thread?
    /// Set by the first ``start()``: a stopped dispatcher has shut its HTTP client down and cannot run again.
    private var started = false
    private var doorbellToken: UInt64?
    private let finished = DispatchSemaphore(value: 0)

    // Dispatcher-thread state.
    private var lanes: [String: EndpointLane]
    private var owned = Set<Int64>()
    private var pendingUpdates: [OutboxUpdate] = []
    private var pendingNotices: [Int64: OutboundDeliveryOutcome] = [:]
    /// Writer round trips submitted and not yet answered. Two may overlap: while one commits (an fsync), the next
    /// is already queued, so the writer's group commit takes both and claims never wait for a commit to finish.
    private var syncsInFlight = 0
    private static let maxSyncsInFlight = 2
    private var nextDueAt: Int64?
    /// Monotonic time (`DispatchTime` ns) of the next sweep: a real-time cadence, independent of the injected
    /// clock, because it exists to notice writes of other processes.
    private var nextSweepUptime: UInt64 = 0
    private var retrySyncAt: Int64 = 0
    private var stopping = false
    /// Written by ``stop(drainTimeout:)`` before it posts the stop request; read by the dispatcher thread after it
    /// has taken that request from the mailbox (the mailbox lock orders the two).
    private var drainDeadline = Date.distantFuture
    /// Monotonic time of the last ``status`` snapshot; snapshots are taken every few milliseconds, not per event.
    private var lastPublishUptime: UInt64 = 0
    private var publishPending = false
    private static let publishIntervalNanoseconds: UInt64 = 20_000_000

    /// - Parameters:
    ///   - databasePath: the store's file, to hear ``Outbox/enqueue(_:in:now:)`` on it through ``OutboxDoorbell``.
    ///   - classifiers: by endpoint name, for APIs that explain outcomes in the body (see
    ///     ``DeliveryResponseClassifier``); other endpoints follow the status rules.
    ///   - observers: by endpoint name, told every outcome of that endpoint's rows (see ``OutboundDeliveryObserver``).
    ///   - clock: unix milliseconds; tests pass a clock they move, then call ``wake()``.
    public init(writer: SQLiteWriter, databasePath: String, endpoints: [OutboundEndpoint], settings: OutboundSettings,
                policy: RetryPolicy? = nil, classifiers: [String: any DeliveryResponseClassifier] = [:],
                observers: [String: any OutboundDeliveryObserver] = [:], metrics: MetricsRegistry, log: EventLog,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.writer = writer
        self.databasePath = databasePath
        self.settings = settings
        // A lease no longer than a request may take would make every claimed row stale at once (released and
        // claimed again forever). Configuration refuses that; endpoints built in code get the same floor.
        let longestRequest = endpoints.map(\.totalTimeoutMilliseconds).max() ?? 0
        leaseMilliseconds = max(settings.leaseMilliseconds, longestRequest + 1_000)
        self.policy = policy ?? RetryPolicy(settings)
        self.classifiers = classifiers
        self.observers = observers
        self.metrics = OutboundMetrics(registry: metrics)
        self.log = log
        self.clock = clock
        // Only a snippet of a response body is ever kept; the cap also bounds memory per transfer.
        client = CurlMultiClient(maxResponseBytes: 16 * 1024)
        lanes = Dictionary(uniqueKeysWithValues: endpoints.map { endpoint in
            (endpoint.name, EndpointLane(endpoint: endpoint, breakerThreshold: settings.breakerFailureThreshold,
                                         breakerCoolDownMillis: settings.breakerCoolDownMilliseconds))
        })
        published = lanes.values.map(EndpointStatus.init).sorted { $0.endpoint < $1.endpoint }
    }

    /// Starts the dispatcher thread; rows already due (including those a dead predecessor left in flight past their
    /// lease) are claimed at once. Idempotent; after ``stop(drainTimeout:)`` it does nothing (make a new dispatcher).
    public func start() {
        lifecycleLock.lock()
        defer { lifecycleLock.unlock() }
        guard !started else { return }
        started = true
        let mailbox = self.mailbox
        doorbellToken = OutboxDoorbell.register(database: databasePath) { mailbox.wake() }
        let thread = Thread { [self] in
            // Named from inside: on Linux only the running thread can set its OS-visible name (top -H, perf).
            Thread.current.name = "outbox-dispatch"
            run()
        }
        self.thread = thread
        thread.start()
    }

    /// Look for due rows now rather than at the next poll (after moving a test clock, or a write from elsewhere).
    public func wake() {
        mailbox.wake()
    }

    /// Re-enables an endpoint a 410 disabled; its queued rows are claimed again.
    public func enable(endpoint: String) {
        mailbox.post(.enable(endpoint: endpoint))
    }

    /// Stops claiming and sending, lets requests in flight finish for up to `drainTimeout` seconds, records their
    /// outcomes and hands every other claimed row back to the outbox, then returns. Idempotent.
    public func stop(drainTimeout: TimeInterval = 5) {
        lifecycleLock.lock()
        defer { lifecycleLock.unlock() }
        guard thread != nil else { return }
        if let doorbellToken { OutboxDoorbell.unregister(doorbellToken, database: databasePath) }
        drainDeadline = Date(timeIntervalSinceNow: drainTimeout)
        mailbox.requestStop()
        finished.wait()
        self.thread = nil
    }

    /// Live state of every endpoint, at most a few tens of milliseconds old.
    public var status: [EndpointStatus] {
        statusLock.lock()
        defer { statusLock.unlock() }
        return published
    }

    // MARK: - Dispatcher thread

    private func run() {
        while true {
            let now = clock()
            let delivery = mailbox.take(waitingUntil: wakeDeadline(now: now))
            if delivery.woken { lanes.keys.forEach { lanes[$0]!.wantsClaim = true } }
            if delivery.stopping && !stopping { beginStopping() }
            for event in delivery.events { handle(event) }
            step(now: clock())
            publishStatus(force: false)
            if stopping && syncsInFlight == 0 && (lanes.values.allSatisfy { $0.inFlight == 0 } || Date() >= drainDeadline) {
                break
            }
        }
        finishStopping()
        publishStatus(force: true)
        finished.signal()
    }

    /// The time-driven part of one turn: due rows, the sweep, stale holds, sends, and the next writer round trip.
    private func step(now: Int64) {
        if let due = nextDueAt, now >= due {
            nextDueAt = nil
            lanes.keys.forEach { lanes[$0]!.wantsClaim = true }
        }
        for name in lanes.keys {
            for record in lanes[name]!.releaseStale(now: now) { release(record, at: now) }
            // Rows a claim brought back after the endpoint was disabled or its breaker opened go back at once.
            if lanes[name]!.disabled {
                releaseHeld(of: name, at: now)
            } else if let reopens = lanes[name]!.breaker.reopensAt {
                releaseHeld(of: name, at: reopens)
            }
        }
        if !stopping { sendReady(now: now) }
        syncIfNeeded(now: now)
    }

    private func sendReady(now: Int64) {
        for name in lanes.keys {
            guard let base = lanes[name]!.endpoint.url else { continue }
            while let record = lanes[name]!.startNext(now: now) {
                let request = DeliveryRequestBuilder.request(for: record, to: lanes[name]!.endpoint, baseURL: base,
                                                             nowSeconds: now / 1000)
                let mailbox = self.mailbox
                let sent = DispatchTime.now().uptimeNanoseconds
                client.execute(request) { result in
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9
                    mailbox.post(.finished(record, result, startedAt: now, seconds: seconds))
                }
            }
        }
    }

    private func handle(_ event: DispatcherMailbox.Event) {
        switch event {
        case .finished(let record, let result, let startedAt, let seconds):
            attemptFinished(record, result, startedAt: startedAt, seconds: seconds)
        case .synced(let result, let order):
            synced(result, order)
        case .enable(let name):
            guard lanes[name] != nil else { return }
            lanes[name]!.disabled = false
            lanes[name]!.wantsClaim = true
            log.info("outbound_endpoint_enabled", ["endpoint": name])
        }
    }

    private func attemptFinished(_ record: OutboxRecord, _ result: Result<ClientResponse, ClientError>,
                                 startedAt: Int64, seconds: Double) {
        owned.remove(record.id)
        let name = record.endpoint
        lanes[name]?.finished()
        let now = clock()
        if case .failure(.shutDown) = result {
            pendingUpdates.append(.release(id: record.id, at: now))
            return
        }
        let report = AttemptReport(result: result, startedAt: startedAt, finishedAt: now, durationSeconds: seconds,
                                   classifier: classifiers[name], keepBody: observers[name] != nil)
        metrics.attempt(name, report)
        let decision = policy.decide(report, attempts: record.attempts + 1, now: now)
        let outcome = AttemptOutcome(record, report, decision)
        pendingUpdates.append(outcome.update)
        metrics.outcome(name, outcome.label)
        if observers[name] != nil {
            pendingNotices[record.id] = AttemptOutcome.notice(record, report, outcome.result, at: now)
        }
        if case .retry(let at) = decision { nextDueAt = min(nextDueAt ?? at, at) }
        if case .deadLetter(let reason) = decision {
            log.warning("outbound_dead_lettered", ["endpoint": name, "idempotency_key": record.idempotencyKey,
                                                    "reason": reason.rawValue, "status": report.status.map(String.init) ?? "-",
                                                    "error_class": report.errorClass?.rawValue ?? "-"])
        }
        updateEndpointHealth(name, report, now: now)
        // The next row of this ordering key becomes claimable once this outcome is written (same round trip).
        if record.orderingKey != nil { lanes[name]?.wantsClaim = true }
    }

    /// Feeds the breaker and the 410 kill switch.
    private func updateEndpointHealth(_ name: String, _ report: AttemptReport, now: Int64) {
        guard lanes[name] != nil else { return }
        switch report.errorClass {
        case .gone?:
            guard !lanes[name]!.disabled else { return }
            lanes[name]!.disabled = true
            metrics.endpointDisabled(name)
            log.error("outbound_endpoint_disabled", ["endpoint": name, "status": "410",
                                                     "action": "re-enable with POST /v1/endpoints/\(name)/enable or a restart"])
        case let errorClass? where errorClass.countsAsEndpointFailure:
            if lanes[name]!.recordFailure(now: now) {
                let until = lanes[name]!.breaker.reopensAt ?? now
                metrics.breakerOpened(name)
                log.warning("outbound_breaker_opened", ["endpoint": name,
                                                        "failures": String(lanes[name]!.breaker.consecutiveFailures),
                                                        "probe_at": DeadLetter.timestamp(until)])
            }
        default:
            // The receiver answered (2xx, a 4xx, a 429): it is up, whatever it thought of the request.
            let wasOpen = lanes[name]!.breaker.state != .closed
            lanes[name]!.recordSuccess()
            if wasOpen { log.info("outbound_breaker_closed", ["endpoint": name]) }
        }
    }

    private func releaseHeld(of name: String, at: Int64) {
        for record in lanes[name]!.releaseHeld() { release(record, at: at) }
    }

    private func release(_ record: OutboxRecord, at: Int64) {
        owned.remove(record.id)
        pendingUpdates.append(.release(id: record.id, at: at))
        lanes[record.endpoint]?.wantsClaim = true
    }

    // MARK: Writer round trips

    private func syncIfNeeded(now: Int64) {
        guard syncsInFlight < Self.maxSyncsInFlight, now >= retrySyncAt else { return }
        var order = OutboxSync.Order(now: now, leaseExpiresAt: now + Int64(leaseMilliseconds), owner: owner)
        order.updates = pendingUpdates
        order.notices = pendingNotices
        let uptime = DispatchTime.now().uptimeNanoseconds
        let sweeping = !stopping && uptime >= nextSweepUptime
        if !stopping {
            for name in lanes.keys.sorted() where lanes[name]!.wantsClaim || sweeping {
                let limit = lanes[name]!.claimCapacity(now: now, batchLimit: settings.claimBatchSize)
                guard limit > 0 else { continue }
                lanes[name]!.wantsClaim = false
                lanes[name]!.claiming += limit
                order.claims.append(OutboxSync.Claim(endpoint: name, limit: limit))
            }
        }
        if sweeping {
            nextSweepUptime = uptime + UInt64(settings.pollIntervalMilliseconds) * 1_000_000
            order.parks = parkOrders()
            order.configuredEndpoints = Set(lanes.keys)
            order.dueEndpoints = lanes.values.filter { $0.endpoint.url != nil }.map(\.endpoint.name).sorted()
            order.purgeDeliveredBefore = now - Int64(settings.deliveredRetentionMilliseconds)
        } else if !order.claims.isEmpty {
            order.dueEndpoints = order.claims.map(\.endpoint)
        }
        guard !order.isEmpty else { return }
        pendingUpdates = []
        pendingNotices = [:]
        syncsInFlight += 1
        let mailbox = self.mailbox
        let submitted = order
        let observers = self.observers
        writer.submit({ connection in try OutboxSync.run(submitted, observers: observers, in: connection) },
                      completion: { result in mailbox.post(.synced(result, submitted)) })
    }

    /// Undeliverable rows of configured endpoints without a URL (rows of unconfigured names are found in the op).
    private func parkOrders() -> [OutboxSync.Park] {
        lanes.values.filter { $0.endpoint.url == nil }.map(\.endpoint).sorted { $0.name < $1.name }
            .map { OutboxSync.Park(endpoint: $0.name, reason: $0.missingURLReason) }
    }

    private func synced(_ result: Result<OutboxSync.Outcome, any Error>, _ order: OutboxSync.Order) {
        syncsInFlight -= 1
        for claim in order.claims { lanes[claim.endpoint]?.claiming -= claim.limit }
        switch result {
        case .success(let outcome):
            for (name, records) in outcome.claimed {
                let fresh = records.filter { owned.insert($0.id).inserted }
                lanes[name]?.hold(fresh)
                if records.count >= (order.claims.first { $0.endpoint == name }?.limit ?? .max) {
                    lanes[name]?.wantsClaim = true   // a full batch: more may be due
                }
            }
            if let due = outcome.nextDueAt { nextDueAt = min(nextDueAt ?? due, due) }
            for (endpoint, count) in outcome.parked.sorted(by: { $0.key < $1.key }) {
                metrics.outcome(endpoint, DeadLetterReason.undeliverable.rawValue, count: count)
                log.warning("outbound_parked_undeliverable", ["endpoint": endpoint, "count": String(count)])
            }
            outcome.observerFailures.forEach { $0.report(metrics, log) }
        case .failure(let error):
            // Nothing of the order happened (it ran in its own savepoint): try the same again shortly. Rows whose
            // outcome is lost meanwhile are re-sent after their lease expires, never dropped.
            pendingUpdates = order.updates + pendingUpdates
            pendingNotices.merge(order.notices) { _, newer in newer }
            for claim in order.claims { lanes[claim.endpoint]?.wantsClaim = true }
            nextSweepUptime = 0
            retrySyncAt = clock() + 1_000
            metrics.syncFailed()
            log.error("outbound_sync_failed", ["error": "\(error)", "updates": String(order.updates.count)])
        }
    }

    // MARK: Timing and shutdown

    /// The real time to sleep until: the earliest of the next due row, the next sweep, a rate token or breaker
    /// probe a lane waits for, a retry of a failed write — and never longer than the poll interval, so a clock that
    /// tests move is looked at again soon.
    private func wakeDeadline(now: Int64) -> Date {
        let untilSweep = (Int64(clamping: nextSweepUptime) - Int64(DispatchTime.now().uptimeNanoseconds)) / 1_000_000
        var next = now + max(0, untilSweep)
        if let due = nextDueAt { next = min(next, due) }
        if retrySyncAt > now { next = min(next, retrySyncAt) }
        for name in lanes.keys {
            if let time = lanes[name]!.wakeTime(now: now) { next = min(next, time) }
        }
        var millis = min(max(next - now, 0), Int64(settings.pollIntervalMilliseconds))
        if publishPending { millis = min(millis, Int64(Self.publishIntervalNanoseconds / 1_000_000)) }
        let deadline = Date(timeIntervalSinceNow: Double(millis) / 1000)
        return stopping ? min(deadline, drainDeadline) : deadline
    }

    private func beginStopping() {
        stopping = true
        for name in lanes.keys { releaseHeld(of: name, at: clock()) }
    }

    /// After the drain: fail what is still in flight (released, not counted as attempts), then write everything
    /// still pending in one last blocking round trip.
    private func finishStopping() {
        client.shutdown()   // remaining transfers complete with .shutDown before this returns
        for event in mailbox.take(waitingUntil: Date()).events { handle(event) }
        guard !pendingUpdates.isEmpty else { return }
        let order = OutboxSync.Order(updates: pendingUpdates, notices: pendingNotices, now: clock(),
                                     leaseExpiresAt: clock(), owner: owner)
        let observers = self.observers
        do {
            let outcome = try writer.perform { connection in try OutboxSync.run(order, observers: observers, in: connection) }
            outcome.observerFailures.forEach { $0.report(metrics, log) }
        } catch {
            log.error("outbound_stop_write_failed", ["error": "\(error)", "updates": String(order.updates.count)])
        }
    }

    private func publishStatus(force: Bool) {
        let uptime = DispatchTime.now().uptimeNanoseconds
        publishPending = !force && uptime - lastPublishUptime < Self.publishIntervalNanoseconds
        guard !publishPending else { return }
        lastPublishUptime = uptime
        let snapshot = lanes.values.map(EndpointStatus.init).sorted { $0.endpoint < $1.endpoint }
        statusLock.lock()
        published = snapshot
        statusLock.unlock()
    }
}
