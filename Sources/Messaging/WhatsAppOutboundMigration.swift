import Storage

/// Migration 6: outbound WhatsApp messages and the delivery statuses that arrived before their message's id was known.
/// Kept beside the code that uses it; ``Schema`` only lists it.
enum WhatsAppOutboundMigration {
    static let migration = Migration(version: 6, name: "whatsapp outbound messages", sql: """
        -- One row per WhatsApp send, written with its outbox row (outbox_key = 'wa:' || idempotency_key). status only
        -- moves up the ranking queued < accepted < sent < failed < delivered < read (see WhatsAppMessageStatus);
        -- <status>_at is when that status was reported, even when it no longer changed the status.
        CREATE TABLE whatsapp_outbound_messages (
            id INTEGER PRIMARY KEY,
            recipient TEXT NOT NULL,
            recipient_type TEXT NOT NULL CHECK (recipient_type IN ('phone', 'bsuid')),
            content_kind TEXT NOT NULL CHECK (content_kind IN ('text', 'template', 'interactive_list')),
            template_name TEXT,
            language TEXT,
            request_body TEXT NOT NULL,
            purpose TEXT NOT NULL,
            reference TEXT,
            idempotency_key TEXT NOT NULL UNIQUE,
            outbox_key TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'accepted', 'sent', 'failed', 'delivered', 'read')),
            wamid TEXT UNIQUE,
            error_code INTEGER,
            error_title TEXT,
            error_detail TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            accepted_at INTEGER,
            sent_at INTEGER,
            delivered_at INTEGER,
            read_at INTEGER,
            failed_at INTEGER,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX whatsapp_outbound_by_reference ON whatsapp_outbound_messages (purpose, reference, id);
        -- Statuses whose wamid no message has yet: Meta's 'sent' can arrive before the send's HTTP answer is recorded.
        -- Applied and deleted when the wamid is recorded.
        CREATE TABLE whatsapp_unmatched_statuses (
            id INTEGER PRIMARY KEY,
            wamid TEXT NOT NULL,
            status TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            error_code INTEGER,
            error_title TEXT,
            error_detail TEXT,
            received_at INTEGER NOT NULL,
            UNIQUE (wamid, status)
        );
        """)
}
