import Storage

/// Migration 47: an outbound WhatsApp message may be a media message (`content_kind = 'media'`: an image, document,
/// audio, video or sticker sent by link).
///
/// SQLite cannot change a `CHECK` constraint in place, so the table is rebuilt by SQLite's documented procedure
/// (<https://www.sqlite.org/lang_altertable.html#otheralter>): created anew, filled with every row (ids kept, so ticket
/// messages and renewal attempts still point at their message), the old one dropped, the new one renamed and its
/// indexes created again. Foreign-key enforcement is off meanwhile and checked before commit.
enum WhatsAppMediaSendsMigration {
    static let migration = Migration(version: 47, name: "whatsapp media sends", sql: """
        -- As in migration 6, with 'media' among the content kinds.
        CREATE TABLE whatsapp_outbound_messages_new (
            id INTEGER PRIMARY KEY,
            recipient TEXT NOT NULL,
            recipient_type TEXT NOT NULL CHECK (recipient_type IN ('phone', 'bsuid')),
            content_kind TEXT NOT NULL CHECK (content_kind IN ('text', 'template', 'interactive_list', 'media')),
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
        INSERT INTO whatsapp_outbound_messages_new SELECT id, recipient, recipient_type, content_kind, template_name,
            language, request_body, purpose, reference, idempotency_key, outbox_key, status, wamid, error_code,
            error_title, error_detail, attempts, created_at, accepted_at, sent_at, delivered_at, read_at, failed_at,
            updated_at FROM whatsapp_outbound_messages;
        DROP TABLE whatsapp_outbound_messages;
        ALTER TABLE whatsapp_outbound_messages_new RENAME TO whatsapp_outbound_messages;
        CREATE INDEX whatsapp_outbound_by_reference ON whatsapp_outbound_messages (purpose, reference, id);
        CREATE INDEX whatsapp_outbound_with_bodies ON whatsapp_outbound_messages (created_at)
            WHERE recipient NOT IN ('expired', 'erased');
        """, postgres: .statements("""
        -- PostgreSQL changes the constraint in place.
        ALTER TABLE whatsapp_outbound_messages DROP CONSTRAINT whatsapp_outbound_messages_content_kind_check;
        ALTER TABLE whatsapp_outbound_messages ADD CONSTRAINT whatsapp_outbound_messages_content_kind_check
            CHECK (content_kind IN ('text', 'template', 'interactive_list', 'media'));
        """), rebuildsReferencedTable: true)
}
