import Storage

/// Migration 24: where each customer first came from, when WhatsApp says (a click-to-WhatsApp ad or post).
enum CustomerAcquisitionMigration {
    static let migration = Migration(version: 24, name: "customer acquisition source", sql: """
        -- One row per customer: the referral of the earliest message that carried one (acquired_at: its WhatsApp time,
        -- unix seconds; message_id: that message's wamid).
        CREATE TABLE customer_acquisitions (
            customer_id INTEGER PRIMARY KEY REFERENCES customers (id),
            channel TEXT NOT NULL,
            source_type TEXT,
            source_id TEXT,
            source_url TEXT,
            headline TEXT,
            click_id TEXT,
            message_id TEXT NOT NULL,
            acquired_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        """)
}
