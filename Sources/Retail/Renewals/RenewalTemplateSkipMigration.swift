import Storage

/// Migration 20: a reminder can be `skipped_template` — Meta paused, rejected or disabled the reminder template, so
/// nothing was queued (a dead letter would only collect Meta's refusals). SQLite cannot change a `CHECK` constraint in
/// place, so `renewal_attempts` is rebuilt by SQLite's documented procedure (create, copy every row with its id, drop,
/// rename, create the indexes again). No table references it.
enum RenewalTemplateSkipMigration {
    static let migration = Migration(version: 20, name: "renewal attempts skipped for their template", sql: """
        CREATE TABLE renewal_attempts_new (
            id INTEGER PRIMARY KEY,
            renewal_id INTEGER NOT NULL REFERENCES renewals (id),
            offset_days INTEGER NOT NULL,
            scheduled_date TEXT NOT NULL,
            phone TEXT NOT NULL,
            channel TEXT NOT NULL DEFAULT 'whatsapp',
            template TEXT,
            language TEXT,
            result TEXT NOT NULL CHECK (result IN ('sent', 'rescheduled', 'cancelled', 'failed', 'skipped_cap',
                'skipped_opt_out', 'skipped_max_attempts', 'skipped_stale', 'skipped_no_phone', 'skipped_template')),
            detail TEXT,
            message_id INTEGER,
            sent_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (renewal_id, offset_days, phone)
        );
        INSERT INTO renewal_attempts_new (id, renewal_id, offset_days, scheduled_date, phone, channel, template,
                                          language, result, detail, message_id, sent_at, created_at, updated_at)
            SELECT id, renewal_id, offset_days, scheduled_date, phone, channel, template, language, result, detail,
                   message_id, sent_at, created_at, updated_at
            FROM renewal_attempts;
        DROP TABLE renewal_attempts;
        ALTER TABLE renewal_attempts_new RENAME TO renewal_attempts;
        CREATE INDEX renewal_attempts_messaged ON renewal_attempts (sent_at, phone)
            WHERE result IN ('sent', 'rescheduled');
        CREATE INDEX renewal_attempts_waiting ON renewal_attempts (phone) WHERE result = 'rescheduled';
        CREATE INDEX renewal_attempts_by_message ON renewal_attempts (message_id) WHERE message_id IS NOT NULL;
        """, postgres: .statements("""
        -- PostgreSQL changes the constraint in place.
        ALTER TABLE renewal_attempts DROP CONSTRAINT renewal_attempts_result_check;
        ALTER TABLE renewal_attempts ADD CONSTRAINT renewal_attempts_result_check
            CHECK (result IN ('sent', 'rescheduled', 'cancelled', 'failed', 'skipped_cap', 'skipped_opt_out',
                'skipped_max_attempts', 'skipped_stale', 'skipped_no_phone', 'skipped_template'));
        """))
}
