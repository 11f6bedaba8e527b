import Foundation
import GatewayKit
import Storage

/// The inbox on the store. The acknowledgement appends to the inbox log (a database of its own); the normalizer reads
/// what is logged after its cursor and records, in one transaction of the domain database, each delivery's `inbox` row
/// (already normalized, or failed), the items found in it and the advanced cursor — so a crash in between leaves the
/// cursor where it was and the deliveries are simply read again. Deliveries stored in the `inbox` table before the log
/// existed are normalized first, as they always were.
extension GatewayStore {
    /// Commits a verified delivery to the inbox log (or finds it already there). Completes on a store thread; a failure
    /// is `.storeUnavailable` or `.overloaded` and means nothing was acknowledged.
    public func appendDelivery(_ delivery: NewDelivery,
                               completion: @escaping @Sendable (Result<AppendOutcome, GatewayError>) -> Void) {
        inboxLog.append(delivery) { completion($0.mapError(GatewayError.storage)) }
    }

    /// Oldest deliveries still waiting for normalization: those of the `inbox` table first, then the log's — after
    /// `loggedAfter` when given (a normalizer that has passes in flight reads past them), else after the cursor — and
    /// the log cursor they were read from.
    public func pendingDeliveries(limit: Int, loggedAfter: LogPosition? = nil) throws
        -> (deliveries: [StoredDelivery], cursor: LogPosition) {
        let (stored, recorded) = try database.read { connection in
            (try InboxTable.pending(limit: limit, in: connection), try LogCursor.read(in: connection))
        }
        let cursor = max(recorded, loggedAfter ?? .start)
        guard stored.count < limit else { return (stored, cursor) }
        return (stored + (try inboxLog.deliveries(after: cursor, limit: limit - stored.count)), cursor)
    }

    /// Oldest deliveries still waiting for normalization: those of the `inbox` table first, then the log's.
    public func pendingDeliveries(limit: Int) throws -> [StoredDelivery] {
        try pendingDeliveries(limit: limit, loggedAfter: nil).deliveries
    }

    /// Records the items found in each delivery, its `inbox` row as normalized (or failed, when the whole delivery was
    /// unusable) and the log cursor past the logged ones, all in one transaction; item dedupe keys make a repeat after
    /// a crash harmless. Outcomes are returned in input order. `now` (unix ms, the app's clock; the wall clock by
    /// default) dates the items and the processing, which is what retention later goes by.
    public func recordNormalizations(_ results: [DeliveryNormalization],
                                     now: Int64 = Int64(Date().timeIntervalSince1970 * 1000))
        throws -> [NormalizationOutcome] {
        try database.write(Self.recording(results, from: nil, now: now))
    }

    /// The same without waiting: `completion` gets the outcomes after the commit. When `cursor` is given, the pass
    /// records only if the log cursor is still there — a pass read past another one still in flight fails with
    /// ``CursorMovedError`` when that one did not commit, so a delivery is never skipped.
    public func recordNormalizations(
        _ results: [DeliveryNormalization], from cursor: LogPosition?,
        now: Int64 = Int64(Date().timeIntervalSince1970 * 1000),
        completion: @escaping @Sendable (Result<[NormalizationOutcome], any Error>) -> Void
    ) {
        database.write(Self.recording(results, from: cursor, now: now), completion: completion)
    }

    private static func recording(_ results: [DeliveryNormalization], from cursor: LogPosition?, now: Int64)
        -> @Sendable (any DatabaseConnection) throws -> [NormalizationOutcome] {
        let lastLogged = results.compactMap(\.delivery.logPosition).max()
        return { connection in
            // Recorders take turns on the cursor (instances handing the lead over may both record for a moment): each
            // reads the one the last commit left, and it never moves back.
            try connection.serialize(on: ["inbox-log-cursor"])
            let recorded = try LogCursor.read(in: connection)
            if let cursor, recorded != cursor { throw CursorMovedError(expected: cursor) }
            let outcomes = try results.map { normalization in
                do {
                    return try connection.savepoint { try InboxTable.record(normalization, now: now, in: connection) }
                } catch let error as any DatabaseError where !error.isTransient {
                    // Unrecordable (a constraint or a bug): mark it failed so it never blocks the deliveries behind it.
                    try InboxTable.markFailed(normalization.delivery, reason: "could not record: \(error)", now: now,
                                              in: connection)
                    return NormalizationOutcome(failed: 1)
                }
            }
            if let lastLogged, lastLogged > recorded { try LogCursor.set(lastLogged, from: recorded, in: connection) }
            return outcomes
        }
    }

    /// What waits between acknowledgement and application: deliveries not yet normalized, items not yet through the
    /// inbound steps.
    public func inboxBacklog() throws -> (deliveries: Int, items: Int) {
        let (counts, cursor) = try database.read { connection in
            (try InboxBacklog.counts(in: connection), try LogCursor.read(in: connection))
        }
        return (counts.deliveries + (try inboxLog.count(after: cursor)), counts.items)
    }

    /// Receipt time (unix ms) of the oldest delivery not yet normalized or with items still pending; nil when
    /// everything is applied.
    public func oldestUnappliedReceivedAt() throws -> Int64? {
        let (stored, cursor) = try database.read { connection in
            (try InboxBacklog.oldestReceivedAt(in: connection), try LogCursor.read(in: connection))
        }
        return [stored, try inboxLog.oldestReceivedAt(after: cursor)].compactMap { $0 }.min()
    }

    /// Deletes the inbox log's deliveries that are recorded in the domain database and were received before
    /// `receivedBefore`, in bounded steps; how many.
    @discardableResult
    public func pruneInboxLog(receivedBefore: Int64) throws -> Int {
        let cursor = try database.read { try LogCursor.read(in: $0) }
        var pruned = 0
        while true {
            let step = try inboxLog.prune(through: cursor, receivedBefore: receivedBefore)
            pruned += step
            if step == 0 { return pruned }
        }
    }

    /// Number of deliveries not yet normalized.
    public func inboxDepth() throws -> Int {
        try inboxBacklog().deliveries
    }
}
