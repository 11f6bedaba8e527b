import Storage

/// Migration 19: what Meta last said about each template the business has, by name and language.
enum WhatsAppTemplateStatesMigration {
    static let migration = Migration(version: 19, name: "whatsapp template states", sql: """
        -- One row per template name and language, as Meta reported it: status (APPROVED, PAUSED, REJECTED, ...) with
        -- its reason, quality score and category. *_at: the source time (unix seconds) of the report each value
        -- came from, so reports arriving out of order converge on the latest.
        CREATE TABLE whatsapp_template_states (
            name TEXT NOT NULL,
            language TEXT NOT NULL,
            template_id TEXT NOT NULL,
            status TEXT,
            reason TEXT,
            status_at INTEGER,
            quality TEXT,
            quality_at INTEGER,
            category TEXT,
            category_at INTEGER,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (name, language)
        ) WITHOUT ROWID;
        """)
}
