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

    struct Park: Sendable {
        let scope: DeadLetterMove.ParkScope
        let reason: String
    }

    /// What the dispatcher asks for.
    struct Order: Sendable {
        var updates: [OutboxUpdate] = []
        var claims: [Claim] = []
        /// Endpoints whose next due time to look up (those that can send).
        var dueEndpoints: [String] = []
        var parks: [Park] = []
        var purgeDeliveredBefore: Int64?
        let now: Int64
        let leaseExpiresAt: Int64
        let owner: String

        var isEmpty: Bool { updates.isEmpty && claims.isEmpty && parks.isEmpty && purgeDeliveredBefore == nil }
    }

    /// What it got back once the operation committed.
    struct Outcome: Sendable {
        var claimed: [String: [OutboxRecord]] = [:]
        /// Earliest future time any looked-up endpoint has a row coming due.
        var nextDueAt: Int64?
        /// Endpoint of every row parked as undeliverable.
        var parked: [String] = []
        var purged = 0
    }

    static func run(_ order: Order, in connection: SQLiteConnection) throws -> Outcome {
        var outcome = Outcome()
        for update in order.updates {
            try OutboxLedger.apply(update, owner: order.owner, in: connection)
        }
        for park in order.parks {
            outcome.parked += try DeadLetterMove.parkDue(park.scope, reason: park.reason, now: order.now, in: connection)
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
