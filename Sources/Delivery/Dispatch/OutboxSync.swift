import GatewayKit
import Storage

/// One writer operation of the dispatcher: record finished attempts first, then claim, so a claim already sees the
/// rows those attempts released (the next message of an ordering key, a freed slot). One operation per round trip
/// keeps the writer's work per delivery small and lets group commit batch it with everything else.
enum OutboxSync {
    /// Delivered rows purged per sweep at most, so a sweep after a long pause does not hold the writer for long.
    static let purgeBatch = 10_000

    struct Claim: Sendable {
        let endpoint: EndpointName
        let limit: Int
        /// Only rows first due after this unix ms: older ones are past the retry horizon, for the sweep to
        /// dead-letter rather than for anyone to send.
        let firstDueAfter: Int64
    }

    /// What the dispatcher asks for.
    struct Order: Sendable {
        var updates: [OutboxUpdate] = []
        /// What to tell endpoints' observers about some of `updates`, by outbox id.
        var notices: [Int64: OutboundDeliveryOutcome] = [:]
        var claims: [Claim] = []
        /// Endpoints whose next due time to look up (those that can send).
        var dueEndpoints: [EndpointName] = []
        var parks: [Park] = []
        var expiries: [Expiry] = []
        /// When set, rows of any other endpoint name are parked too (nobody could ever send them).
        var configuredEndpoints: Set<EndpointName>?
        /// Endpoints re-enabled by an operator, their stored disabled state to clear.
        var enables: [EndpointEnableRequest] = []
        /// Endpoints a 410 just disabled, stored with the dead letter of the delivery that got the 410.
        var disablements: [EndpointDisablement] = []
        var purgeDeliveredBefore: Int64?
        let now: Int64
        /// The stored lease of claimed rows (wall clock, what other processes judge it by).
        let leaseExpiresAt: Int64
        /// The same lease on the monotonic clock (``Uptime``), what this process judges it by.
        let leaseEndsUptime: Int64
        let owner: String

        var isEmpty: Bool {
            updates.isEmpty && claims.isEmpty && parks.isEmpty && expiries.isEmpty && configuredEndpoints == nil
                && purgeDeliveredBefore == nil && enables.isEmpty && disablements.isEmpty
        }

        /// The periodic sweep: park rows nobody can send (endpoints without a URL, names no longer configured),
        /// dead-letter rows of sending endpoints that are past their retry horizon, look up when each sending
        /// endpoint is next due, forget deliveries older than the retention.
        mutating func sweep(_ endpoints: [OutboundEndpoint], settings: OutboundSettings) {
            parks = Park.forEndpointsWithoutURL(endpoints)
            configuredEndpoints = Set(endpoints.map(\.name))
            dueEndpoints = endpoints.filter { $0.url != nil }.map(\.name).sorted()
            expiries = dueEndpoints.map { Expiry(endpoint: $0, settings: settings, now: now) }
            purgeDeliveredBefore = now - Int64(settings.deliveredRetentionMilliseconds)
        }
    }

    /// What it got back once the operation committed.
    struct Outcome: Sendable {
        var claimed: [EndpointName: [OutboxRecord]] = [:]
        /// Earliest future time any looked-up endpoint has a row coming due.
        var nextDueAt: Int64?
        /// Rows the sweep dead-lettered without an attempt.
        var retired = Retired()
        var purged = 0
        /// Observer calls that threw (their own changes were rolled back; the outbox's stand).
        var observerFailures: [ObserverFailure] = []
    }

    struct ObserverFailure: Sendable {
        let endpoint: EndpointName
        let idempotencyKey: String
        let error: String

        /// Counted and logged at error level: the owner of the message now disagrees with the outbox (alert on it).
        func report(_ metrics: OutboundMetrics, _ log: EventLog) {
            metrics.observerFailed(endpoint)
            log.error("outbound_observer_failed", ["endpoint": endpoint.rawValue, "idempotency_key": idempotencyKey,
                                                   "error": error])
        }
    }

    /// - Parameter observers: by endpoint; told each outcome of their rows in this transaction.
    static func run(_ order: Order, observers: [EndpointName: any OutboundDeliveryObserver] = [:],
                    in connection: any DatabaseConnection) throws -> Outcome {
        var outcome = Outcome()
        var delivered: [Int: [Int64]] = [:]
        for update in order.updates {
            if case .delivered(let id, let report) = update, order.notices[id] == nil {
                delivered[report.status ?? 200, default: []].append(id)
            } else if try OutboxLedger.apply(update, owner: order.owner, in: connection),
                      let notice = order.notices[update.id] {
                try tell(observers[notice.endpoint], notice, &outcome, in: connection)
            }
        }
        for (status, ids) in delivered {
            try OutboxLedger.markDelivered(ids: ids, status: status, at: order.now, owner: order.owner, in: connection)
        }
        // Re-enables first: a disablement in the same order came from a 410 answered after the re-enable.
        for enable in order.enables {
            try DisabledEndpoints.clear(enable.endpoint, in: connection)
            try enable.addendum?((), connection)
        }
        for disablement in order.disablements { try DisabledEndpoints.record(disablement, in: connection) }
        var parks = order.parks
        if let configured = order.configuredEndpoints {
            parks += try OutboxLedger.liveEndpoints(in: connection).filter { !configured.contains($0) }.map {
                Park(endpoint: $0, reason: "no endpoint named \($0) is configured (outbound.endpoints)")
            }
        }
        for park in parks {
            let rows = try DeadLetterMove.parkDue(endpoint: park.endpoint, reason: park.reason, now: order.now,
                                                  in: connection)
            if !rows.isEmpty { outcome.retired.parked[park.endpoint] = rows.count }
            try tellDeadLettered(rows, park.endpoint, park.reason, observers, order.now, &outcome, in: connection)
        }
        for expiry in order.expiries {
            let rows = try DeadLetterMove.expire(endpoint: expiry.endpoint, firstDueUpTo: expiry.firstDueUpTo,
                                                 error: expiry.reason, now: order.now, owner: order.owner,
                                                 limit: expiryBatch, in: connection)
            if !rows.isEmpty { outcome.retired.expired[expiry.endpoint] = rows.count }
            try tellDeadLettered(rows, expiry.endpoint, expiry.reason, observers, order.now, &outcome, in: connection)
        }
        for claim in order.claims {
            outcome.claimed[claim.endpoint] = try OutboxLedger.claim(
                endpoint: claim.endpoint, limit: claim.limit, firstDueAfter: claim.firstDueAfter, now: order.now,
                leaseExpiresAt: order.leaseExpiresAt, owner: order.owner, in: connection)
        }
        for endpoint in order.dueEndpoints {
            if let due = try OutboxLedger.nextDueAt(endpoint: endpoint, after: order.now, in: connection) {
                outcome.nextDueAt = min(outcome.nextDueAt ?? due, due)
            }
        }
        if let cutoff = order.purgeDeliveredBefore {
            outcome.purged = try OutboxLedger.purgeDelivered(before: cutoff, limit: purgeBatch, in: connection)
        }
        return outcome
    }

    /// Tells the endpoint's observer about rows dead-lettered without an attempt (parked or expired).
    private static func tellDeadLettered(_ rows: [DeadLetterMove.MovedRow], _ endpoint: EndpointName, _ error: String,
                                         _ observers: [EndpointName: any OutboundDeliveryObserver], _ now: Int64,
                                         _ outcome: inout Outcome, in connection: any DatabaseConnection) throws {
        guard let observer = observers[endpoint] else { return }
        for row in rows {
            try tell(observer, OutboundDeliveryOutcome(
                endpoint: endpoint, idempotencyKey: row.idempotencyKey, result: .deadLettered, status: nil,
                error: error, responseBody: [], attempts: row.attempts, at: now), &outcome, in: connection)
        }
    }

    /// One observer call in its own savepoint: a failing observer loses its own changes, not the outbox's (which
    /// would otherwise be retried, and fail, forever). Storage failures still fail the whole operation.
    private static func tell(_ observer: (any OutboundDeliveryObserver)?, _ notice: OutboundDeliveryOutcome,
                             _ outcome: inout Outcome, in connection: any DatabaseConnection) throws {
        guard let observer else { return }
        do {
            try connection.savepoint { try observer.record(notice, in: connection) }
        } catch let error as any DatabaseError where error.isTransient {
            throw error
        } catch {
            outcome.observerFailures.append(ObserverFailure(endpoint: notice.endpoint,
                                                            idempotencyKey: notice.idempotencyKey,
                                                            error: String(describing: error)))
        }
    }
}
