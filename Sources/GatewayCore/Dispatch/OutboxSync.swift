import Storage

/// One writer operation of the dispatcher: record finished attempts first, then claim, so a claim already sees the
/// rows those attempts released (the next message of an ordering key, a freed slot). One operation per round trip
/// keeps the writer's work per delivery small and lets group commit batch it with everything else.
enum OutboxSync {
    /// Delivered rows purged per sweep at most, so a sweep after a long pause does not hold the writer for long.
    static let purgeBatch = 10_000

    struct Claim: Sendable {
        let endpoint: String
        let limit: Int
    }

    /// Rows of endpoints without a URL, parked as undeliverable with the reason naming the setting to fix.
    struct Park: Sendable {
        let endpoint: String
        let reason: String
    }

    /// What the dispatcher asks for.
    struct Order: Sendable {
        var updates: [OutboxUpdate] = []
        var claims: [Claim] = []
        /// Endpoints whose next due time to look up (those that can send).
        var dueEndpoints: [String] = []
        var parks: [Park] = []
        /// When set, rows of any other endpoint name are parked too (nobody could ever send them).
        var configuredEndpoints: Set<String>?
        var purgeDeliveredBefore: Int64?
        let now: Int64
        let leaseExpiresAt: Int64
        let owner: String

        var isEmpty: Bool {
            updates.isEmpty && claims.isEmpty && parks.isEmpty && configuredEndpoints == nil
                && purgeDeliveredBefore == nil
        }
    }

    /// What it got back once the operation committed.
    struct Outcome: Sendable {
        var claimed: [String: [OutboxRecord]] = [:]
        /// Earliest future time any looked-up endpoint has a row coming due.
        var nextDueAt: Int64?
        /// Rows parked as undeliverable, by endpoint.
        var parked: [String: Int] = [:]
        var purged = 0
    }

    static func run(_ order: Order, in connection: SQLiteConnection) throws -> Outcome {
        var outcome = Outcome()
        var delivered: [Int: [Int64]] = [:]
        for update in order.updates {
            if case .delivered(let id, let report) = update {
                delivered[report.status ?? 200, default: []].append(id)
            } else {
                try OutboxLedger.apply(update, owner: order.owner, in: connection)
            }
        }
        for (status, ids) in delivered {
            try OutboxLedger.markDelivered(ids: ids, status: status, at: order.now, owner: order.owner, in: connection)
        }
        var parks = order.parks
        if let configured = order.configuredEndpoints {
            parks += try OutboxLedger.liveEndpoints(in: connection).filter { !configured.contains($0) }.map {
                Park(endpoint: $0, reason: "no endpoint named \($0) is configured (outbound.endpoints)")
            }
        }
        for park in parks {
            let count = try DeadLetterMove.parkDue(endpoint: park.endpoint, reason: park.reason, now: order.now,
                                                   in: connection)
            if count > 0 { outcome.parked[park.endpoint] = count }
        }
        for claim in order.claims {
            outcome.claimed[claim.endpoint] = try OutboxLedger.claim(
                endpoint: claim.endpoint, limit: claim.limit, now: order.now, leaseExpiresAt: order.leaseExpiresAt,
                owner: order.owner, in: connection)
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
}
