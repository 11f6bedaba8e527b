import Storage

/// Migration 18: what each customer said about receiving a category of messages (today WhatsApp's
/// `marketing_messages`).
enum MarketingConsentMigration {
    static let migration = Migration(version: 18, name: "customer consents", sql: """
        -- One row per customer and category: the customer's latest choice. changed_at is the source time (unix
        -- seconds) of that choice, so choices arriving out of order converge on the latest.
        CREATE TABLE customer_consents (
            customer_id INTEGER NOT NULL REFERENCES customers (id),
            category TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('granted', 'withdrawn')),
            source TEXT NOT NULL,
            detail TEXT,
            changed_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (customer_id, category)
        ) WITHOUT ROWID;
        """)
}
