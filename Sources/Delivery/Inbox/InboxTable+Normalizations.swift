import GatewayKit
import Storage

/// What normalization writes: the delivery's `inbox` row (inserted for a logged delivery, updated for one stored
/// before the log existed), the items found in it (deduplicated by their own keys) and its status.
extension InboxTable {
    /// Deliveries of the `inbox` table still waiting for normalization, oldest first.
    static func pending(limit: Int, in connection: any DatabaseConnection) throws -> [StoredDelivery] {
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

    static func markFailed(_ delivery: StoredDelivery, reason: String, now: Int64,
                           in connection: any DatabaseConnection) throws {
        if let logged = delivery.logged {
            _ = try insertNormalized(logged, failure: reason, now: now, in: connection)
            return
        }
        try connection.run("""
            UPDATE inbox SET status = 'failed', attempts = attempts + 1, last_error = ?, processed_at = ?
            WHERE id = ? AND status = 'pending'
            """, [.text(reason), .integer(now), .integer(delivery.id)])
    }

    /// Records one normalized delivery. With an `application`, the items it takes are inserted as `applied` and run
    /// through the inbound steps on the spot (``RecordingApplication``); the others are inserted `pending`, for their
    /// consumers.
    static func record(_ normalization: DeliveryNormalization, now: Int64, in connection: any DatabaseConnection,
                       applying application: RecordingApplication? = nil) throws -> NormalizationOutcome {
        var outcome = NormalizationOutcome()
        guard let normalized = normalization.result else {
            try markFailed(normalization.delivery, reason: normalization.failure ?? "unknown", now: now,
                           in: connection)
            outcome.failed = 1
            return outcome
        }
        let inboxID: Int64
        if let logged = normalization.delivery.logged {
            // Already recorded under its dedupe key (it was stored before the log existed, and sent again since).
            guard let id = try insertNormalized(logged, failure: nil, now: now, in: connection) else {
                outcome.duplicates = normalized.items.count
                return outcome
            }
            inboxID = id
        } else {
            inboxID = normalization.delivery.id
        }
        for (index, item) in normalized.items.enumerated() {
            let event = application?.event(ofItem: index)
            try connection.run("""
                INSERT INTO inbox_items (inbox_id, kind, dedupe_key, occurred_at, payload, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (dedupe_key) DO NOTHING
                """, [.integer(inboxID), .text(item.kind), .text(item.dedupeKey), SQLValue(item.occurredAt),
                      .text(application?.payload(ofItem: index) ?? item.payloadText),
                      .text(event == nil ? "pending" : "applied"), .integer(now)])
            if connection.changes == 1 {
                outcome.stored += 1
                if let application, event != nil {
                    try application.apply(item: index, id: connection.lastInsertRowID, occurredAt: item.occurredAt,
                                          in: connection)
                } else {
                    outcome.recorded.append(RecordedItem(id: connection.lastInsertRowID, item: item))
                }
            } else {
                outcome.duplicates += 1
            }
        }
        for failure in normalized.failures {
            try connection.run("""
                INSERT INTO inbox_items (inbox_id, kind, payload, status, error, path, created_at)
                VALUES (?, 'invalid', ?, 'failed', ?, ?, ?)
                """, [.integer(inboxID), .text(JSONWriter.string(failure.raw)), .text(failure.error),
                      .text(failure.path), .integer(now)])
            outcome.failed += 1
        }
        if normalization.delivery.logged == nil {
            try connection.run("""
                UPDATE inbox SET status = 'processed', attempts = attempts + 1, processed_at = ?
                WHERE id = ? AND status = 'pending'
                """, [.integer(now), .integer(inboxID)])
        }
        return outcome
    }

    /// Inserts a logged delivery's `inbox` row as normalized (`failure` nil) or failed; its id, or nil when a row
    /// with its dedupe key exists. A normalized delivery's body stays in the inbox log only (its items hold what it
    /// said, and the log's retention bounds how long the raw payload is kept); a failed one keeps its body here, to
    /// be examined.
    private static func insertNormalized(_ delivery: NewDelivery, failure: String?, now: Int64,
                                         in connection: any DatabaseConnection) throws -> Int64? {
        try connection.run("""
            INSERT INTO inbox (public_id, source, dedupe_key, received_at, request_id, traceparent, body,
                               response_status, response_body, status, attempts, last_error, processed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
            ON CONFLICT DO NOTHING
            """, [
                .text(delivery.publicID), .text(delivery.source.rawValue), .text(delivery.dedupeKey),
                .integer(delivery.receivedAtMillis), SQLValue(delivery.requestID), SQLValue(delivery.traceparent),
                .blob(failure == nil ? [] : delivery.body), .integer(Int64(delivery.responseStatus)),
                .blob(delivery.responseBody),
                .text(failure == nil ? "processed" : "failed"), SQLValue(failure), .integer(now),
            ])
        return connection.changes == 1 ? connection.lastInsertRowID : nil
    }
}
