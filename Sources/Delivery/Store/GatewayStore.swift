import GatewayKit
/// The seam between the domain and a database. The embedded default is ``SQLiteGatewayStore``; a PostgreSQL
/// implementation for multi-node deployments implements the same protocol. Methods that acknowledge something to a
/// sender complete only after the data is durably committed.
public protocol GatewayStore: Sendable {
    /// Commits a verified delivery to the inbox (or finds it already there). Completes on a store thread; a failure is
    /// `.storeUnavailable` or `.overloaded` and means nothing was acknowledged.
    func appendDelivery(_ delivery: NewDelivery,
                        completion: @escaping @Sendable (Result<AppendOutcome, GatewayError>) -> Void)

    /// Oldest deliveries still waiting for normalization.
    func pendingDeliveries(limit: Int) throws -> [StoredDelivery]

    /// Records the items found in each delivery and marks it processed (or failed, when the whole delivery was
    /// unusable), all in one transaction, so a crash in between leaves the deliveries pending and they are simply
    /// normalized again; item dedupe keys make that repeat harmless. Outcomes are returned in input order.
    func recordNormalizations(_ results: [DeliveryNormalization]) throws -> [NormalizationOutcome]

    /// Number of deliveries not yet normalized.
    func inboxDepth() throws -> Int

    /// Why the store cannot take writes right now, or nil when it can: a tiny probe write must commit, no write may
    /// have been refused by the storage recently, and the disk must have room.
    func notReadyReason() -> String?

    /// Finishes queued writes and closes connections.
    func close()
}
