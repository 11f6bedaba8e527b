import Storage

/// Migration 11: which outlet a ticket is about (contact → outlet resolution). `tickets.fid` / `oid` exist
/// since migration 5; this adds how far resolution got and the outlets a customer was offered to choose from.
///
/// Conversation tickets from before this migration are marked `linked` when they carry an OID, else `unlinked`, so
/// they show up in the unlinked queue (and are resolved again on their next customer message).
enum TicketOutletMigration {
    static let migration = Migration(version: 11, name: "ticket outlet resolution", sql: """
        -- outlet_status: null for tickets that never went through resolution (bot/API tickets), else
        -- 'unlinked' (no outlet found yet), 'linked' (fid/oid set) or 'ambiguous' (the customer was asked to choose).
        ALTER TABLE tickets ADD COLUMN outlet_status TEXT
            CHECK (outlet_status IS NULL OR outlet_status IN ('unlinked', 'linked', 'ambiguous'));
        UPDATE tickets SET outlet_status = CASE WHEN oid IS NULL THEN 'unlinked' ELSE 'linked' END
            WHERE channel = 'whatsapp';
        -- The agents' queues: GET /v1/tickets?outlet_status=unlinked|ambiguous.
        CREATE INDEX tickets_awaiting_outlet ON tickets (outlet_status, id)
            WHERE outlet_status IN ('unlinked', 'ambiguous');
        -- The outlets offered in a ticket's WhatsApp list: a pick is valid only if it was offered.
        CREATE TABLE ticket_outlet_candidates (
            ticket_id INTEGER NOT NULL REFERENCES tickets (id),
            oid TEXT NOT NULL,
            PRIMARY KEY (ticket_id, oid)
        ) WITHOUT ROWID;
        """)
}
