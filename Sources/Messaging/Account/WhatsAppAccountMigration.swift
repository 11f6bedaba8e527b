import Storage

/// Migration 21: what Meta reports about the business account's health, kept with time.
enum WhatsAppAccountMigration {
    static let migration = Migration(version: 21, name: "whatsapp account updates", sql: """
        -- One row per report: topic is Meta's field (account_update, phone_number_quality_update), event its event
        -- name, detail the report as sent (JSON). reported_at: Meta's time (unix seconds), else the arrival's.
        CREATE TABLE whatsapp_account_updates (
            id INTEGER PRIMARY KEY,
            account_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            event TEXT NOT NULL,
            phone_number TEXT,
            detail TEXT NOT NULL,
            reported_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX whatsapp_account_updates_latest ON whatsapp_account_updates (topic, reported_at, id);
        """)
}
