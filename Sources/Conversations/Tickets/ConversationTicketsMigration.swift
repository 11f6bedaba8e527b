import Storage

/// Migration 5: WhatsApp conversations as tickets. Extends the bot/AI `tickets` table rather than
/// adding a second one, so the record API (`GET /v1/tickets/{id}`), rooms and later analytics see one kind of ticket;
/// conversation tickets are the rows with `channel = 'whatsapp'`.
///
/// The columns the workflow owns (`channel` … `resolution_breached_at`) are never written by the record commands;
/// `status`, `assignee` and `sla_status` are the record API's columns, which the workflow fills with its own values for
/// conversation tickets. Times are unix milliseconds.
enum ConversationTicketsMigration {
    static let migration = Migration(version: 5, name: "conversation tickets", sql: """
        -- conversation_key: which conversation the ticket belongs to: the customer's public id (cus_…), or
        -- 'bsuid:<BSUID>' / 'phone:<digits>' for a sender the identity mode resolves to nobody.
        -- last_customer_message_at is WhatsApp's own time of the newest customer message (the 24-hour window).
        -- The SLA clocks: first response runs from created_at, resolution from reopened_at (or created_at); each
        -- *_breached_at is set once per clock run by the breach scheduler.
        ALTER TABLE tickets ADD COLUMN channel TEXT;
        ALTER TABLE tickets ADD COLUMN conversation_key TEXT;
        ALTER TABLE tickets ADD COLUMN category TEXT;
        ALTER TABLE tickets ADD COLUMN kind TEXT CHECK (kind IS NULL OR kind IN ('support', 'lead'));
        ALTER TABLE tickets ADD COLUMN queue TEXT;
        ALTER TABLE tickets ADD COLUMN outcome TEXT;
        ALTER TABLE tickets ADD COLUMN fid TEXT;
        ALTER TABLE tickets ADD COLUMN oid TEXT;
        ALTER TABLE tickets ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tickets ADD COLUMN reopened_at INTEGER;
        ALTER TABLE tickets ADD COLUMN last_customer_message_at INTEGER;
        ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
        ALTER TABLE tickets ADD COLUMN resolved_at INTEGER;
        ALTER TABLE tickets ADD COLUMN closed_at INTEGER;
        ALTER TABLE tickets ADD COLUMN first_response_due_at INTEGER;
        ALTER TABLE tickets ADD COLUMN resolution_due_at INTEGER;
        ALTER TABLE tickets ADD COLUMN first_response_breached_at INTEGER;
        ALTER TABLE tickets ADD COLUMN resolution_breached_at INTEGER;
        CREATE INDEX tickets_by_conversation ON tickets (conversation_key, id) WHERE conversation_key IS NOT NULL;
        -- What the breach scheduler scans: only running clocks (the WHERE terms are repeated in its queries).
        CREATE INDEX tickets_first_response_clock ON tickets (first_response_due_at)
            WHERE first_response_due_at IS NOT NULL AND first_response_at IS NULL
              AND first_response_breached_at IS NULL AND status IN ('open', 'pending');
        CREATE INDEX tickets_resolution_clock ON tickets (resolution_due_at)
            WHERE resolution_due_at IS NOT NULL AND resolution_breached_at IS NULL AND status IN ('open', 'pending');

        -- The conversation: customer messages (direction 'in', once per WhatsApp message id) and, from the reply
        -- phase on, agent replies (direction 'out', outbound_message_id = the outbox row that sends it).
        CREATE TABLE ticket_messages (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets (id),
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            wa_message_id TEXT,
            type TEXT NOT NULL,
            text TEXT,
            content TEXT,
            media_id TEXT,
            media_mime_type TEXT,
            media_sha256 TEXT,
            media_filename TEXT,
            caption TEXT,
            context_message_id TEXT,
            sender TEXT,
            outbound_message_id INTEGER,
            sent_at INTEGER,
            created_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX ticket_messages_inbound ON ticket_messages (wa_message_id) WHERE direction = 'in';
        CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket_id, id);

        -- Internal notes: for agents only, never sent to the customer.
        CREATE TABLE ticket_notes (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets (id),
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX ticket_notes_by_ticket ON ticket_notes (ticket_id, id);

        -- Every change of a ticket: who, when, what, from which value to which. Rows never change.
        CREATE TABLE ticket_history (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets (id),
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            from_value TEXT,
            to_value TEXT,
            detail TEXT
        );
        CREATE INDEX ticket_history_by_ticket ON ticket_history (ticket_id, id);
        CREATE TRIGGER ticket_history_immutable BEFORE UPDATE ON ticket_history
        BEGIN
            SELECT RAISE(ABORT, 'ticket history is immutable');
        END;

        -- One row per SLA breach: UNIQUE makes the scheduler's record idempotent across restarts and repeated passes.
        CREATE TABLE ticket_sla_breaches (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets (id),
            kind TEXT NOT NULL CHECK (kind IN ('first_response', 'resolution')),
            due_at INTEGER NOT NULL,
            breached_at INTEGER NOT NULL,
            UNIQUE (ticket_id, kind, due_at)
        );
        """, postgres: .replacing([
            .init(from: "CREATE TRIGGER ticket_history_immutable", through: "END;",
                  with: PostgresTrigger.refusingUpdates(name: "ticket_history_immutable", table: "ticket_history",
                                                        message: "ticket history is immutable")),
        ]))
}
