import Foundation
import GatewayKit
import Storage

/// The inbox's durable log on the store: the acknowledgement appends, the normalizer reads what is pending and
/// records what it found. Engine-independent SQL; the inbox module owns these tables.
extension GatewayStore {
    /// Commits a verified delivery to the inbox (or finds it already there). Completes on a store thread; a failure is
    /// `.storeUnavailable` or `.overloaded` and means nothing was acknowledged.
    public func appendDelivery(_ delivery: NewDelivery,
                               completion: @escaping @Sendable (Result<AppendOutcome, GatewayError>) -> Void) {
        database.write({ connection -> AppendOutcome in
            if try InboxTable.insert(delivery, in: connection) { return .stored }
            guard let first = try InboxTable.storedResponse(dedupeKey: delivery.dedupeKey, in: connection) else {
                throw StoreConsistencyError(detail: "dedupe conflict without a stored row")
            }
            return .duplicate(publicID: first.publicID, responseStatus: first.status, responseBody: first.body)
        }, completion: { result in
            completion(result.mapError(GatewayError.storage))
        })
    }

    /// Oldest deliveries still waiting for normalization.
    public func pendingDeliveries(limit: Int) throws -> [StoredDelivery] {
        try database.read { connection in
            try connection.query(
                "SELECT id, public_id, source, body, attempts FROM inbox WHERE status = 'pending' ORDER BY id LIMIT ?",
                [.integer(Int64(limit))]
            ).compactMap { row in
                guard let id = row.int64("id"), let publicID = row.string("public_id"),
                      let source = row.string("source").map(InboxSource.init(rawValue:))
                else { return nil }
                return StoredDelivery(id: id, publicID: publicID, source: source, body: row.blob("body") ?? [],
                                      attempts: row.int("attempts") ?? 0)
            }
        }
    }

    /// Records the items found in each delivery and marks it processed (or failed, when the whole delivery was
    /// unusable), all in one transaction, so a crash in between leaves the deliveries pending and they are simply
    /// normalized again; item dedupe keys make that repeat harmless. Outcomes are returned in input order.
    public func recordNormalizations(_ results: [DeliveryNormalization]) throws -> [NormalizationOutcome] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return try database.write { connection in
            try results.map { normalization in
                do {
                    return try connection.savepoint { try InboxTable.record(normalization, now: now, in: connection) }
                } catch let error as any DatabaseError where !error.isTransient {
                    // Unrecordable (a constraint or a bug): mark it failed so it never blocks the deliveries behind it.
                    try InboxTable.markFailed(normalization.delivery.id, reason: "could not record: \(error)",
                                                now: now, in: connection)
                    return NormalizationOutcome(failed: 1)
                }
            }
        }
    }

    /// What waits between acknowledgement and application: deliveries not yet normalized, items not yet through the
    /// inbound steps.
    public func inboxBacklog() throws -> (deliveries: Int, items: Int) {
        try database.read { try InboxBacklog.counts(in: $0) }
    }

    /// Number of deliveries not yet normalized.
    public func inboxDepth() throws -> Int {
        try database.read { connection in
            try connection.queryOne("SELECT count(*) AS n FROM inbox WHERE status = 'pending'")?.int("n") ?? 0
        }
    }
}
