import GatewayKit
import Storage

/// Dead letters for operators: a page of them, and one sent back to the outbox under its idempotency key.
public struct DeadLetterService: Sendable {
    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Newest first, filtered and paged as `query` says. Blocking read.
    public func list(_ query: DeadLetterQuery) throws -> DeadLetterPage {
        try database.read { try DeadLetterStore.list(query, in: $0) }
    }

    /// Requeues dead letter `id`: its new outbox id, nil when there is no such dead letter (`addendum` is written
    /// only when there is).
    public func replay(id: Int64, now: Int64, addendum: Addendum<Int64>? = nil, answer: @escaping Answer<Int64?>) {
        database.write({ c in
            let requeued = try DeadLetterStore.replay(id: id, now: now, in: c)
            if let requeued { try addendum?(requeued, c) }
            return requeued
        }, answer: answer)
    }
}
