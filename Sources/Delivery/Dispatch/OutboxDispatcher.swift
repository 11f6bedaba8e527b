import Crypto
import CThreadName
import Foundation
import GatewayKit
import HTTPClient
import Storage

/// Delivers the outbox: claims due rows through the single writer under a lease, sends them on one libcurl multi
/// client (many concurrent requests on one thread, keep-alive), and records each outcome — delivered, retried later,
/// or dead-lettered — per ``RetryPolicy``. Per endpoint it enforces the concurrency limit, the rate limit, a circuit
/// breaker and the 410 kill switch (stored, so a disabled endpoint stays disabled across restarts until re-enabled);
/// per ordering key it keeps FIFO (the claim query only offers the oldest live row of a key).
///
/// Delivery is at-least-once: a row is marked delivered only after its 2xx, so a crash between the receiver's 2xx
/// and that commit sends it again — with the same `webhook-id` — once the lease expires. A row is never dropped: one
/// not delivered within its endpoint's retry horizon (`max_retry_age`) goes to the dead letters, unsent. A running
/// dispatcher never sends a row twice itself: it never claims back a row it still holds, and judges its own leases
/// on the monotonic clock, so a jump of the injected clock does not make a request in flight look abandoned.
///
/// Threading: one dispatcher thread owns all mutable state below; other threads (libcurl's, the writer's, the
/// doorbell) only post to the ``DispatcherMailbox``. Hence `@unchecked Sendable`.
public final class OutboxDispatcher: @unchecked Sendable, Service {
    private let database: any Database
    private let databasePath: String
    private let settings: OutboundSettings
    /// The claim lease actually used (see `init`).
    private let leaseMilliseconds: Int
    private let policy: RetryPolicy
    private let metrics: OutboundMetrics
    private let log: EventLog
    private let clock: @Sendable () -> Int64
    /// Live instances sharing the outbox, among which each endpoint's rate limit is shared.
    private let instances: @Sendable () -> Int
    private let client: CurlMultiClient
    private let drainTimeout: TimeInterval  // seconds ``stop()`` lets requests in flight finish
    /// Per endpoint: how to read answers whose status alone does not tell (default: the status rules).
    private let classifiers: [EndpointName: any DeliveryResponseClassifier]
    /// Per endpoint: who is told each outcome in the transaction that records it.
    private let observers: [EndpointName: any OutboundDeliveryObserver]
    private let mailbox = DispatcherMailbox()
    /// Written into `lease_owner`: rows this instance claimed.
    private let owner = "dispatcher-" + Hex.encode(SecureRandom.bytes(6))
    private let statusBoard: EndpointStatusBoard
    private let lifecycleLock = NSLock()
    private var thread: Thread?
    /// Set by the first ``start()``: a stopped dispatcher has shut its HTTP client down and cannot run again.
    private var started = false
    private var doorbellToken: UInt64?
    private let finished = DispatchSemaphore(value: 0)

    // Dispatcher-thread state.
    private var lanes: [EndpointName: EndpointLane]
    /// The lanes' names, sorted once at init (lanes are never added or removed): what every turn iterates, rather
    /// than a view of the dictionary it is changing, and what claims go in order of without sorting per round trip.
    private let laneNames: [EndpointName]
    /// Ids of rows this dispatcher claimed and has not handed back yet: held, in flight, or with their outcome (or
    /// release) not yet committed. A claim never brings one of them back to be sent again (see ``synced(_:_:)``).
    private var owned = Set<Int64>()
    private var pending = PendingWriteBack()
    /// Writer round trips submitted and not yet answered. Two may overlap: while one commits (an fsync), the next
    /// is already queued, so the writer's group commit takes both and claims never wait for a commit to finish.
    private var syncsInFlight = 0
    private static let maxSyncsInFlight = 2
    private var nextDueAt: Int64?
    /// Monotonic time (``Uptime``) of the next sweep: a real-time cadence, independent of the injected clock,
    /// because it exists to notice writes of other processes.
    private var nextSweepUptime: Int64 = 0
    /// Monotonic time before which a failed writer round trip is not tried again.
    private var retrySyncUptime: Int64 = 0
    private var stopping = false
    /// Written by ``stop(drainTimeout:)`` before it posts the stop request; read by the dispatcher thread after it
    /// has taken that request from the mailbox (the mailbox lock orders the two).
    private var drainDeadlineUptime = Int64.max

    /// - Parameters:
    ///   - database: the store; the dispatcher hears ``Outbox/enqueue(_:in:now:)`` on it through ``OutboxDoorbell``.
    ///   - classifiers: by endpoint name, for APIs that explain outcomes in the body (see
    ///     ``DeliveryResponseClassifier``); other endpoints follow the status rules.
    ///   - observers: by endpoint name, told every outcome of that endpoint's rows (see ``OutboundDeliveryObserver``).
    ///   - clock: unix milliseconds; tests pass a clock they move, then call ``wake()``.
    ///   - drainTimeout: how long ``stop()`` lets requests in flight finish, in seconds.
    /// - Throws: the store's error reading which endpoints a 410 disabled (they start disabled).
    public init(database: any Database, endpoints: [OutboundEndpoint], settings: OutboundSettings,
                policy: RetryPolicy? = nil, classifiers: [EndpointName: any DeliveryResponseClassifier] = [:],
                observers: [EndpointName: any OutboundDeliveryObserver] = [:], metrics: MetricsRegistry, log: EventLog,
                drainTimeout: TimeInterval = 5, instances: @escaping @Sendable () -> Int = { 1 },
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) throws {
        self.instances = instances
        self.database = database
        self.drainTimeout = drainTimeout
        databasePath = database.location
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
        var lanes = Dictionary(uniqueKeysWithValues: endpoints.map { endpoint in
            (endpoint.name, EndpointLane(endpoint: endpoint, breakerThreshold: settings.breakerFailureThreshold,
                                         breakerCoolDownMillis: settings.breakerCoolDownMilliseconds,
                                         maxRetryAgeMillis: settings.maxRetryAgeMilliseconds(for: endpoint.name)))
        })
        let stored = try database.write { try DisabledEndpoints.all(in: $0) }
        for disablement in stored where lanes[disablement.endpoint] != nil {
            lanes[disablement.endpoint]!.disablement = disablement
            log.warning("outbound_endpoint_disabled", disablement.logFields)
        }
        self.lanes = lanes
        laneNames = lanes.keys.sorted()
        statusBoard = EndpointStatusBoard(lanes)
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
            _ = gw_name_current_thread("outbox-dispatch")  // not `Thread.name`: see CThreadName
            run()
        }
        self.thread = thread
        thread.start()
    }

    /// Look for due rows now rather than at the next poll (after moving a test clock, or a write from elsewhere).
    public func wake() {
        mailbox.wake()
    }

    /// Re-enables an endpoint a 410 disabled: its queued rows are claimed again and its stored disabled state is
    /// cleared; `completion` is told once that is committed.
    public func enable(endpoint: EndpointName,
                       completion: @escaping @Sendable (Result<Void, any Error>) -> Void = { _ in },
                       addendum: Addendum<Void>? = nil) {
        mailbox.post(.enable(EndpointEnableRequest(endpoint: endpoint, addendum: addendum, done: completion)))
    }

    /// ``stop(drainTimeout:)`` with the drain time given at init.
    public func stop() { stop(drainTimeout: drainTimeout) }

    /// Stops claiming and sending, lets requests in flight finish for up to `drainTimeout` seconds, records their
    /// outcomes and hands every other claimed row back to the outbox, then returns. Idempotent.
    public func stop(drainTimeout: TimeInterval) {
        lifecycleLock.lock()
        defer { lifecycleLock.unlock() }
        guard thread != nil else { return }
        if let doorbellToken { OutboxDoorbell.unregister(doorbellToken, database: databasePath) }
        drainDeadlineUptime = Uptime.milliseconds + Int64(min(max(drainTimeout, 0), 86_400) * 1000)
        mailbox.requestStop()
        finished.wait()
        self.thread = nil
    }

    /// Live state of every endpoint, at most a few tens of milliseconds old.
    public var status: [EndpointStatus] { statusBoard.current }

    // MARK: - Dispatcher thread

    private func run() {
        while true {
            let now = clock()
            let delivery = mailbox.take(waitingUntil: wakeDeadline(now: now))
            if delivery.woken { laneNames.forEach { lanes[$0]!.wantsClaim = true } }
            if delivery.stopping && !stopping { beginStopping() }
            for event in delivery.events { handle(event) }
            step(now: clock())
            statusBoard.publish(lanes, force: false)
            if stopping && syncsInFlight == 0
                && (lanes.values.allSatisfy { $0.inFlight == 0 } || Uptime.milliseconds >= drainDeadlineUptime) {
                break
            }
        }
        finishStopping()
        statusBoard.publish(lanes, force: true)
        finished.signal()
    }

    /// The time-driven part of one turn: due rows, the sweep, stale holds, sends, and the next writer round trip.
    private func step(now: Int64) {
        if let due = nextDueAt, now >= due {
            nextDueAt = nil
            laneNames.forEach { lanes[$0]!.wantsClaim = true }
        }
        let uptime = Uptime.milliseconds
        let instances = self.instances()
        for name in laneNames {
            lanes[name]!.share(among: instances)
            for record in lanes[name]!.releaseStale(now: now, uptime: uptime) { release(record, at: now) }
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
        for name in laneNames {
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
        case .enable(let request):
            let name = request.endpoint
            lanes[name]?.disablement = nil
            lanes[name]?.wantsClaim = true
            pending.enable(request)
            log.info("outbound_endpoint_enabled", ["endpoint": name.rawValue])
        }
    }

    private func attemptFinished(_ record: OutboxRecord, _ result: Result<ClientResponse, ClientError>,
                                 startedAt: Int64, seconds: Double) {
        let name = record.endpoint
        lanes[name]?.finished()
        let now = clock()
        if case .failure(.shutDown) = result {
            pending.add(.release(id: record.id, at: now))
            return
        }
        let report = AttemptReport(result: result, startedAt: startedAt, finishedAt: now, durationSeconds: seconds,
                                   classifier: classifiers[name], keepBody: observers[name] != nil)
        metrics.attempt(name, report)
        let decision = policy.decide(report, attempts: record.attempts + 1, now: now)
        let outcome = AttemptOutcome(record, report, decision)
        pending.add(outcome.update, notice: observers[name] == nil ? nil
                        : AttemptOutcome.notice(record, report, outcome.result, at: now))
        metrics.outcome(name, outcome.label)
        if case .retry(let at) = decision { nextDueAt = min(nextDueAt ?? at, at) }
        if case .deadLetter(let reason) = decision {
            log.warning("outbound_dead_lettered", ["endpoint": name.rawValue, "idempotency_key": record.idempotencyKey,
                                                    "reason": reason.rawValue, "status": report.status.map(String.init) ?? "-",
                                                    "error_class": report.errorClass?.rawValue ?? "-"])
        }
        if let change = lanes[name]?.recordAnswer(report, of: record, now: now) {
            if case .disabled(let disablement) = change { pending.disable(disablement) }
            change.report(endpoint: name, metrics: metrics, log: log)
        }
        // The next row of this ordering key becomes claimable once this outcome is written (same round trip).
        if record.orderingKey != nil { lanes[name]?.wantsClaim = true }
    }

    private func releaseHeld(of name: EndpointName, at: Int64) {
        for record in lanes[name]!.releaseHeld() { release(record, at: at) }
    }

    private func release(_ record: OutboxRecord, at: Int64) {
        pending.add(.release(id: record.id, at: at))
        lanes[record.endpoint]?.wantsClaim = true
    }

    // MARK: Writer round trips

    private func syncIfNeeded(now: Int64) {
        let uptime = Uptime.milliseconds
        guard syncsInFlight < Self.maxSyncsInFlight, uptime >= retrySyncUptime else { return }
        let lease = Int64(leaseMilliseconds)
        var order = OutboxSync.Order(now: now, leaseExpiresAt: now + lease, leaseEndsUptime: uptime + lease,
                                     owner: owner)
        pending.drain(into: &order)
        let sweeping = !stopping && uptime >= nextSweepUptime
        if !stopping {
            for name in laneNames where lanes[name]!.wantsClaim || sweeping {
                let limit = lanes[name]!.claimCapacity(now: now, batchLimit: settings.claimBatchSize)
                guard limit > 0 else { continue }
                lanes[name]!.wantsClaim = false
                lanes[name]!.claiming += limit
                order.claims.append(OutboxSync.Claim(endpoint: name, limit: limit,
                                                     firstDueAfter: lanes[name]!.firstDueAfter(now: now)))
            }
        }
        if sweeping {
            nextSweepUptime = uptime + Int64(settings.pollIntervalMilliseconds)
            order.sweep(lanes.values.map(\.endpoint), settings: settings)
        } else if !order.claims.isEmpty {
            order.dueEndpoints = order.claims.map(\.endpoint)
        }
        guard !order.isEmpty else { return }
        syncsInFlight += 1
        let mailbox = self.mailbox
        let submitted = order
        let observers = self.observers
        database.write({ connection in try OutboxSync.run(submitted, observers: observers, in: connection) },
                      completion: { result in mailbox.post(.synced(result, submitted)) })
    }

    private func synced(_ result: Result<OutboxSync.Outcome, any Error>, _ order: OutboxSync.Order) {
        syncsInFlight -= 1
        for claim in order.claims { lanes[claim.endpoint]?.claiming -= claim.limit }
        switch result {
        case .success(let outcome):
            // Outcomes and releases are committed: those rows are no longer this dispatcher's. Only then may a claim
            // (this one's or a later one's) bring them back.
            for update in order.updates { owned.remove(update.id) }
            for (name, records) in outcome.claimed {
                // A row still owned here is in flight or waiting: never send it a second time. The claim query
                // already skips them; this holds even if a claim raced an outcome not yet seen here.
                let fresh = records.filter { owned.insert($0.id).inserted }
                lanes[name]?.hold(fresh, leaseEndsUptime: order.leaseEndsUptime)
                if records.count >= (order.claims.first { $0.endpoint == name }?.limit ?? .max) {
                    lanes[name]?.wantsClaim = true   // a full batch: more may be due
                }
            }
            if let due = outcome.nextDueAt { nextDueAt = min(nextDueAt ?? due, due) }
            outcome.retired.report(metrics, log)
            if outcome.retired.moreExpired { nextSweepUptime = 0 }
            outcome.observerFailures.forEach { $0.report(metrics, log) }
            if !order.enables.isEmpty {
                statusBoard.publish(lanes, force: true)   // whoever re-enabled it reads it enabled from now on
                order.enables.forEach { $0.done(.success(())) }
            }
        case .failure(let error):
            // Nothing of the order happened (it ran in its own savepoint): try the same again shortly. Rows whose
            // outcome is lost meanwhile are re-sent after their lease expires, never dropped.
            pending.restore(order)
            for claim in order.claims { lanes[claim.endpoint]?.wantsClaim = true }
            nextSweepUptime = 0
            retrySyncUptime = Uptime.milliseconds + 1_000
            metrics.syncFailed()
            log.error("outbound_sync_failed", ["error": "\(error)", "updates": String(order.updates.count)])
        }
    }

    // MARK: Timing and shutdown

    /// The real time to sleep until: the earliest of the next due row, a rate token or breaker probe a lane waits
    /// for (on the injected clock), the next sweep, a retry of a failed write, the end of the drain (monotonic) —
    /// and never longer than the poll interval, so a clock that tests move is looked at again soon.
    private func wakeDeadline(now: Int64) -> Date {
        let uptime = Uptime.milliseconds
        var millis = min(Int64(settings.pollIntervalMilliseconds), max(0, nextSweepUptime - uptime))
        if retrySyncUptime > uptime { millis = min(millis, retrySyncUptime - uptime) }
        if stopping { millis = min(millis, max(0, drainDeadlineUptime - uptime)) }
        var next = nextDueAt ?? Int64.max
        for name in laneNames {
            if let time = lanes[name]!.wakeTime(now: now) { next = min(next, time) }
        }
        if next != .max { millis = min(millis, max(0, next - now)) }
        if statusBoard.pending { millis = min(millis, EndpointStatusBoard.intervalMilliseconds) }
        return Date(timeIntervalSinceNow: Double(millis) / 1000)
    }

    private func beginStopping() {
        stopping = true
        for name in laneNames { releaseHeld(of: name, at: clock()) }
    }

    /// After the drain: fail what is still in flight (released, not counted as attempts), hand back rows a claim
    /// answered after stopping began, then write everything still pending in one last blocking round trip.
    private func finishStopping() {
        client.shutdown()   // remaining transfers complete with .shutDown before this returns
        for event in mailbox.take(waitingUntil: Date()).events { handle(event) }
        for name in laneNames { releaseHeld(of: name, at: clock()) }
        guard !pending.isEmpty else { return }
        var order = OutboxSync.Order(now: clock(), leaseExpiresAt: clock(), leaseEndsUptime: Uptime.milliseconds,
                                     owner: owner)
        pending.drain(into: &order)
        let observers = self.observers
        let submitted = order
        do {
            let outcome = try database.write { try OutboxSync.run(submitted, observers: observers, in: $0) }
            outcome.observerFailures.forEach { $0.report(metrics, log) }
            order.enables.forEach { $0.done(.success(())) }
        } catch {
            log.error("outbound_stop_write_failed", ["error": "\(error)", "updates": String(order.updates.count)])
            order.enables.forEach { $0.done(.failure(error)) }
        }
    }
}
