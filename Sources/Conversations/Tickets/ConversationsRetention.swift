import Delivery
import Storage

/// How long the conversations keep words: the words of deleted messages (`tickets.deleted_message_retention`) and the
/// words, captions and media references of every ticket message (`retention.message_bodies`) — the messages stay as
/// rows (direction, type, times, delivery status) for counts and reports.
public enum ConversationsRetention {
    /// Migration 30: the messages that still hold words, by time, so the purge finds them without a scan.
    static let migration = Migration(version: 30, name: "ticket messages with words by time", sql: """
        CREATE INDEX ticket_messages_with_words ON ticket_messages (created_at)
            WHERE text IS NOT NULL OR content IS NOT NULL OR caption IS NOT NULL OR media_id IS NOT NULL;
        """)

    public static func rules(_ settings: RetentionSettings, tickets: TicketSettings) -> [RetentionRule] {
        [
            RetentionRule("deleted_message_words", keep: Int64(tickets.deletedMessageRetentionMilliseconds)) {
                before, limit, c in
                try TicketMessageDeletions.purge(before: before, limit: limit, in: c)
            },
            RetentionRule("ticket_message_bodies", keep: Int64(settings.messageBodiesMilliseconds)) { before, limit, c in
                try c.run("""
                    UPDATE ticket_messages SET text = NULL, content = NULL, caption = NULL, media_id = NULL,
                        media_sha256 = NULL, media_filename = NULL
                    WHERE id IN (SELECT id FROM ticket_messages \(c.dialect.indexedBy("ticket_messages_with_words"))
                                 WHERE created_at < ? AND (text IS NOT NULL OR content IS NOT NULL
                                     OR caption IS NOT NULL OR media_id IS NOT NULL)
                                 LIMIT ?)
                    """, [.integer(before), .integer(Int64(limit))])
                return c.changes
            },
            TicketEventFeed.retentionRule,
        ]
    }
}
