/// The dispatcher's live state for one endpoint: claimed rows waiting to be sent, deliveries in flight, the rate
/// limiter, the circuit breaker and whether a 410 disabled it. Owned by the dispatcher thread.
struct EndpointLane {
    /// Rows claimed ahead of free slots, as a multiple of the concurrency limit: enough that sends continue while
    /// the next claim is being committed, few enough that nothing waits long under its lease.
    static let prefetchFactor = 4
    /// With a rate limit, claim only what the limiter will let out within this window.
    static let rateLookaheadMillis = 500

    /// A claimed row waiting to be sent, with the monotonic time (``Uptime``) its lease runs out in this process.
    struct HeldRow {
        let record: OutboxRecord
        let leaseEndsUptime: Int64
    }

    let endpoint: OutboundEndpoint
    /// The retry horizon by age: rows first due longer ago are for the sweep to dead-letter, never to send.
    let maxRetryAgeMillis: Int
    /// Claimed rows in claim order (oldest due first). A slice, so taking the first (every send) does not move the
    /// hundreds behind it.
    private(set) var held: ArraySlice<HeldRow> = []
    private(set) var inFlight = 0
    /// Rows asked for by claims not yet answered (they count as owned, so overlapping claims do not over-claim).
    var claiming = 0
    private var bucket: TokenBucket?
    /// The instances the endpoint's rate limit is shared among (see ``share(among:)``).
    private var sharedAmong = 1
    private(set) var breaker: CircuitBreaker
    /// Set by a 410 Gone (or, at start, read from the store); nothing is claimed or sent until re-enabled.
    var disablement: EndpointDisablement?
    /// Due rows may be waiting in the outbox (new rows were enqueued, a claim came back full, an ordering key was
    /// released, time passed); cleared when a claim is made.
    var wantsClaim = true

    var disabled: Bool { disablement != nil }

    init(endpoint: OutboundEndpoint, breakerThreshold: Int, breakerCoolDownMillis: Int, maxRetryAgeMillis: Int) {
        self.endpoint = endpoint
        self.maxRetryAgeMillis = maxRetryAgeMillis
        bucket = endpoint.ratePerSecond > 0 ? TokenBucket(ratePerSecond: endpoint.ratePerSecond) : nil
        breaker = CircuitBreaker(threshold: breakerThreshold, coolDownMillis: breakerCoolDownMillis)
    }

    /// The endpoint's rate limit holds for the cluster, not per instance (WhatsApp's 80/s is per number): each of
    /// `instances` live instances sends at most its share. A share is a floor of one a second; the cluster sends
    /// less than the limit when only some instances have rows for the endpoint.
    mutating func share(among instances: Int) {
        let instances = max(1, instances)
        guard endpoint.ratePerSecond > 0, instances != sharedAmong else { return }
        sharedAmong = instances
        bucket = TokenBucket(ratePerSecond: max(1, endpoint.ratePerSecond / instances))
    }

    /// The rate this instance sends at (per second; 0 = unlimited).
    var ratePerSecond: Int { bucket?.ratePerSecond ?? 0 }

    /// How many rows are worth claiming now (0 without a URL: those rows are parked by the sweep instead).
    mutating func claimCapacity(now: Int64, batchLimit: Int) -> Int {
        guard endpoint.url != nil, !disabled else { return 0 }
        let owned = inFlight + held.count + claiming
        var room = endpoint.maxConcurrency * Self.prefetchFactor - owned
        if let allowance = breaker.allowance(now: now) { room = min(room, allowance - owned) }
        if let available = bucket?.available(within: Self.rateLookaheadMillis, now: now) {
            room = min(room, available - held.count - claiming)
        }
        return max(0, min(room, batchLimit))
    }

    /// - Parameter leaseEndsUptime: when the claim that brought `records` runs out, on the monotonic clock.
    mutating func hold(_ records: [OutboxRecord], leaseEndsUptime: Int64) {
        held.append(contentsOf: records.map { HeldRow(record: $0, leaseEndsUptime: leaseEndsUptime) })
    }

    /// The next held row allowed to start now (slot free, breaker closed or probing, rate token taken), counted as
    /// in flight; nil when none may go.
    mutating func startNext(now: Int64) -> OutboxRecord? {
        guard !held.isEmpty, !disabled, inFlight < endpoint.maxConcurrency else { return nil }
        if let allowance = breaker.allowance(now: now), inFlight >= allowance { return nil }
        if bucket != nil, bucket?.take(now: now) != true { return nil }
        inFlight += 1
        return held.removeFirst().record
    }

    mutating func finished() {
        inFlight -= 1
    }

    /// Gives up every held row (breaker opened, endpoint disabled, shutting down).
    mutating func releaseHeld() -> [OutboxRecord] {
        defer { held.removeAll() }
        return held.map(\.record)
    }

    /// The claim cut-off of the retry horizon: rows first due at or before it are not to be sent.
    func firstDueAfter(now: Int64) -> Int64 { now - Int64(maxRetryAgeMillis) }

    /// Gives up held rows that must not start now. Rows whose lease would run out before a request started now must
    /// end (its total timeout): another claim, with a fresh lease, is safer than sending under a lease that may lapse
    /// mid-request. The lease counts as running out when either clock says so: the monotonic one measures it in this
    /// process, whatever the wall clock does; the stored one (`now`, wall clock) is how other processes judge it.
    /// And rows that went past the retry horizon while held: released, the sweep dead-letters them unsent.
    mutating func releaseStale(now: Int64, uptime: Int64) -> [OutboxRecord] {
        let needed = Int64(endpoint.totalTimeoutMilliseconds)
        let cutoff = firstDueAfter(now: now)
        let stale = { (row: HeldRow) in
            row.leaseEndsUptime - uptime <= needed || row.record.leaseExpiresAt - now <= needed
                || (row.record.firstDueAt.map { $0 <= cutoff } ?? false)
        }
        guard held.contains(where: stale) else { return [] }
        defer { held.removeAll(where: stale) }
        return held.filter(stale).map(\.record)
    }

    mutating func recordSuccess() { breaker.recordSuccess() }

    /// Returns true when this failure opened the breaker.
    mutating func recordFailure(now: Int64) -> Bool { breaker.recordFailure(now: now) }

    /// The next time this lane may be able to do something it cannot do now, if that depends only on time.
    mutating func wakeTime(now: Int64) -> Int64? {
        if let reopens = breaker.reopensAt { return reopens }
        guard !held.isEmpty, !disabled, inFlight < endpoint.maxConcurrency else { return nil }
        return bucket?.nextTokenAt(now: now)
    }
}
