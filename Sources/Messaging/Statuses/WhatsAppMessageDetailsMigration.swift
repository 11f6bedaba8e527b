import Storage

/// Migration 22: what Meta's status reports say of a sent message beyond its status — the conversation it opened or
/// belongs to, how it is priced, when a voice message was played — keyed by the message's `wamid`.
enum WhatsAppMessageDetailsMigration {
    static let migration = Migration(version: 22, name: "whatsapp message details", sql: """
        -- One row per wamid, filled from every status report that carries any of it (a report may arrive before
        -- the send's answer has recorded the wamid; the row waits for it). Times: unix seconds, Meta's.
        CREATE TABLE whatsapp_message_details (
            wamid TEXT PRIMARY KEY,
            played_at INTEGER,
            conversation_id TEXT,
            conversation_origin TEXT,
            conversation_expires_at INTEGER,
            pricing_category TEXT,
            pricing_model TEXT,
            billable INTEGER CHECK (billable IN (0, 1)),
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """)
}
