import Storage

/// Migration 23: messages echoed from the WhatsApp Business app are on a ticket once, found by their WhatsApp id.
enum TicketEchoesMigration {
    static let migration = Migration(version: 23, name: "ticket message echoes", sql: """
        -- Outbound messages with no outbox row of ours are echoes from the WhatsApp Business app: one per wamid.
        CREATE UNIQUE INDEX ticket_messages_echoes ON ticket_messages (wa_message_id)
            WHERE direction = 'out' AND outbound_message_id IS NULL;
        """)
}
