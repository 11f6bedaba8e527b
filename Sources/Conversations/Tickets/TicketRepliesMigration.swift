import Delivery
import Storage

/// Migration 10: what goes back to the customer on a conversation ticket (agent replies and CSAT) — the
/// ticket's language, the delivery of each outbound ticket message, and the CSAT surveys with their answers.
enum TicketRepliesMigration {
    static let migration = Migration(version: 10, name: "ticket replies and csat", sql: """
        -- language: the template language for this ticket's customer (en, ms), from the keyword lists that matched
        -- its first message; NULL = whatsapp.default_language.
        ALTER TABLE tickets ADD COLUMN language TEXT;

        -- Delivery of outbound ticket messages (direction 'out': agent replies and CSAT surveys), copied from the
        -- WhatsApp message (outbound_message_id = whatsapp_outbound_messages.id) whenever its status moves.
        ALTER TABLE ticket_messages ADD COLUMN delivery_status TEXT;
        ALTER TABLE ticket_messages ADD COLUMN delivery_error_code INTEGER;
        ALTER TABLE ticket_messages ADD COLUMN delivery_error_title TEXT;
        ALTER TABLE ticket_messages ADD COLUMN delivery_error_detail TEXT;
        ALTER TABLE ticket_messages ADD COLUMN delivery_updated_at INTEGER;
        CREATE INDEX ticket_messages_by_outbound ON ticket_messages (outbound_message_id)
            WHERE outbound_message_id IS NOT NULL;

        -- One CSAT survey per resolution of a ticket (resolution = reopen_count + 1 when it was resolved): UNIQUE makes
        -- a replayed resolution send nothing twice. assignee is the ticket's at resolution (the agent it rates).
        CREATE TABLE csat_surveys (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets (id),
            resolution INTEGER NOT NULL,
            ticket_ref TEXT NOT NULL,
            conversation_key TEXT NOT NULL,
            assignee TEXT,
            outbound_message_id INTEGER NOT NULL,
            ticket_message_id INTEGER NOT NULL,
            sent_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            UNIQUE (ticket_id, resolution)
        );
        CREATE INDEX csat_surveys_by_conversation ON csat_surveys (conversation_key, id);
        CREATE INDEX csat_surveys_by_time ON csat_surveys (sent_at);

        -- The customer's answer to a survey: the first rating wins (UNIQUE survey_id); the comment is the next free
        -- text within csat.comment_window of the rating.
        CREATE TABLE csat_response (
            id INTEGER PRIMARY KEY,
            survey_id INTEGER NOT NULL UNIQUE REFERENCES csat_surveys (id),
            ticket_id INTEGER NOT NULL REFERENCES tickets (id),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            source TEXT NOT NULL CHECK (source IN ('button', 'text')),
            wa_message_id TEXT NOT NULL,
            comment TEXT,
            comment_message_id TEXT,
            responded_at INTEGER NOT NULL,
            commented_at INTEGER
        );
        """)
}
