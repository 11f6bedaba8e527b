import GatewayKit
import Storage

/// What normalization writes: the items found in a delivery (deduplicated by their own keys) and the delivery's new
/// status.
extension InboxTable {
    static func markFailed(_ deliveryID: Int64, reason: String, now: Int64,
                           in connection: any DatabaseConnection) throws {
        try connection.run("""
            UPDATE inbox SET status = 'failed', attempts = attempts + 1, last_error = ?, processed_at = ?
            WHERE id = ? AND status = 'pending'
            """, [.text(reason), .integer(now), .integer(deliveryID)])
    }

    static func record(_ normalization: DeliveryNormalization, now: Int64,
                       in connection: any DatabaseConnection) throws -> NormalizationOutcome {
        let deliveryID = normalization.delivery.id
        var outcome = NormalizationOutcome()
        guard let normalized = normalization.result else {
            try markFailed(deliveryID, reason: normalization.failure ?? "unknown", now: now, in: connection)
            outcome.failed = 1
            return outcome
        }
        for item in normalized.items {
            try connection.run("""
                INSERT INTO inbox_items (inbox_id, kind, dedupe_key, occurred_at, payload, status, created_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?)
                ON CONFLICT (dedupe_key) DO NOTHING
                """, [.integer(deliveryID), .text(item.kind), .text(item.dedupeKey),
                      SQLValue(item.occurredAt), .text(JSONWriter.string(item.payload)), .integer(now)])
            if connection.changes == 1 { outcome.stored += 1 } else { outcome.duplicates += 1 }
        }
        for failure in normalized.failures {
            try connection.run("""
                INSERT INTO inbox_items (inbox_id, kind, payload, status, error, path, created_at)
                VALUES (?, 'invalid', ?, 'failed', ?, ?, ?)
                """, [.integer(deliveryID), .text(JSONWriter.string(failure.raw)), .text(failure.error),
                      .text(failure.path), .integer(now)])
            outcome.failed += 1
        }
        try connection.run("""
            UPDATE inbox SET status = 'processed', attempts = attempts + 1, processed_at = ?
            WHERE id = ? AND status = 'pending'
            """, [.integer(now), .integer(deliveryID)])
        return outcome
    }
}
