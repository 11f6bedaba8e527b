import Delivery
import Storage

/// How long outbound WhatsApp messages keep their recipient and body (`retention.message_bodies`): after that the
/// row stays (purpose, template, status, times) as `expired`.
public enum MessagingRetention {
    /// Migration 31: the messages that still hold recipient and body, by time, so the purge finds them without a scan.
    static let migration = Migration(version: 31, name: "outbound messages with bodies by time", sql: """
        CREATE INDEX whatsapp_outbound_with_bodies ON whatsapp_outbound_messages (created_at)
            WHERE recipient NOT IN ('expired', 'erased');
        """)

    public static func rules(_ settings: RetentionSettings) -> [RetentionRule] {
        [
            RetentionRule("whatsapp_message_bodies", keep: Int64(settings.messageBodiesMilliseconds)) { before, limit, c in
                try c.run("""
                    UPDATE whatsapp_outbound_messages SET recipient = 'expired', request_body = '{}'
                    WHERE id IN (SELECT id FROM whatsapp_outbound_messages
                                 \(c.dialect.indexedBy("whatsapp_outbound_with_bodies"))
                                 WHERE created_at < ? AND recipient NOT IN ('expired', 'erased') LIMIT ?)
                    """, [.integer(before), .integer(Int64(limit))])
                return c.changes
            },
        ]
    }
}
