import Delivery
import GatewayKit
import Storage

/// The `ticket_message_deletions` table: what a deleted message said, for the audit, as long as
/// `tickets.deleted_message_retention` allows (``DeletedMessagePurgeTask`` and `gateway purge` remove older ones).
public enum TicketMessageDeletions {
    /// Keeps the words of ticket message `id` of ticket `ticketID`, deleted at `at` (unix ms).
    static func keep(_ id: Int64, ticketID: Int64, waMessageID: String, text: String?, caption: String?, at: Int64,
                     in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO ticket_message_deletions (ticket_message_id, ticket_id, wa_message_id, text, caption, deleted_at)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_message_id) DO NOTHING
            """, [.integer(id), .integer(ticketID), .text(waMessageID), SQLValue(text), SQLValue(caption), .integer(at)])
    }

    /// Deletes up to `limit` kept words deleted before `cutoff` (unix ms); returns how many.
    public static func purge(before cutoff: Int64, limit: Int, in c: any DatabaseConnection) throws -> Int {
        try c.run("""
            DELETE FROM ticket_message_deletions WHERE ticket_message_id IN (
                SELECT ticket_message_id FROM ticket_message_deletions WHERE deleted_at < ? LIMIT ?)
            """, [.integer(cutoff), .integer(Int64(limit))])
        return c.changes
    }

    /// Purges everything older than `retentionMilliseconds` before `now` in batches of `batchSize` (one writer
    /// transaction each, so a running gateway's writes interleave); returns how many.
    public static func purge(store: any GatewayStore, retentionMilliseconds: Int64, now: Int64,
                             batchSize: Int = 1_000) throws -> Int {
        var total = 0
        while true {
            let deleted = try store.database.write { try purge(before: now - retentionMilliseconds, limit: batchSize,
                                                               in: $0) }
            total += deleted
            if deleted < batchSize { return total }
        }
    }
}
