import Storage

/// Migration 49: what is known of a sales lead, one row per lead ticket — asked over WhatsApp of a new contact whose
/// first message reads like a sales enquiry, or typed in by sales (a phone call, a fair).
enum LeadsMigration {
    static let migration = Migration(version: 49, name: "leads", sql: """
        -- awaiting: the question the customer was last asked over WhatsApp (name, business, interest); NULL once
        -- all are answered, when the lead was entered by hand, or when an agent took over the conversation.
        -- *_message_id: the WhatsApp message that answered each question (a re-applied message answers once).
        -- source: whatsapp for captured leads; what sales typed for leads entered by hand (phone_call, fair, ...).
        CREATE TABLE leads (
            ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
            contact_id TEXT,
            name TEXT,
            business TEXT,
            interest TEXT,
            source TEXT NOT NULL,
            language TEXT,
            awaiting TEXT CHECK (awaiting IN ('name', 'business', 'interest')),
            opening_message_id TEXT,
            name_message_id TEXT,
            business_message_id TEXT,
            interest_message_id TEXT,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX leads_by_contact ON leads (contact_id) WHERE contact_id IS NOT NULL;
        """)

    /// Migration 62: no query looks leads up by contact (a lead is found by its ticket), so the index on it is
    /// dropped: one write less per lead.
    static let withoutContactIndex = Migration(version: 62, name: "leads without a contact index",
                                               sql: "DROP INDEX leads_by_contact;")
}
