import Storage

/// Migration 12: a renewal cycle can be `customer_replied` (the merchant answered a reminder with a renewal keyword:
/// reminders stop, the renewals team follows up) and records when (`replied_at`).
///
/// SQLite cannot change a `CHECK` constraint in place, so `renewals` is rebuilt by SQLite's documented procedure
/// (<https://www.sqlite.org/lang_altertable.html#otheralter>): the new table is created, filled with every row, the
/// old one dropped and the new one renamed, then the indexes are created again. `renewal_attempts` references the
/// table, so the migration runs with foreign-key enforcement off and checked before commit
/// (``Migration/rebuildsReferencedTable``). Ids are kept, so every attempt still points at its cycle.
enum RenewalRepliesMigration {
    static let migration = Migration(version: 12, name: "renewal customer replies", sql: """
        -- status as in migration 9, plus customer_replied (the merchant replied with a renewal keyword; reminders
        -- stop, a POS renewal still makes it renewed). replied_at: when the first such reply arrived.
        CREATE TABLE renewals_new (
            id INTEGER PRIMARY KEY,
            oid TEXT NOT NULL,
            fid TEXT NOT NULL,
            due_date TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'renewed', 'lapsed', 'stopped', 'opted_out', 'customer_replied')),
            stop_reason TEXT,
            renewed_at INTEGER,
            new_expiry_date TEXT,
            renewed_after_reminder INTEGER CHECK (renewed_after_reminder IN (0, 1)),
            renewed_after_expiry INTEGER CHECK (renewed_after_expiry IN (0, 1)),
            replied_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (oid, due_date)
        );
        INSERT INTO renewals_new (id, oid, fid, due_date, status, stop_reason, renewed_at, new_expiry_date,
                                  renewed_after_reminder, renewed_after_expiry, created_at, updated_at)
            SELECT id, oid, fid, due_date, status, stop_reason, renewed_at, new_expiry_date, renewed_after_reminder,
                   renewed_after_expiry, created_at, updated_at
            FROM renewals;
        DROP TABLE renewals;
        ALTER TABLE renewals_new RENAME TO renewals;
        CREATE INDEX renewals_by_due_date ON renewals (due_date, id);
        CREATE INDEX renewals_by_status ON renewals (status, due_date, id);
        """, postgres: .statements("""
        -- PostgreSQL changes the constraint in place.
        ALTER TABLE renewals DROP CONSTRAINT renewals_status_check;
        ALTER TABLE renewals ADD CONSTRAINT renewals_status_check
            CHECK (status IN ('open', 'renewed', 'lapsed', 'stopped', 'opted_out', 'customer_replied'));
        ALTER TABLE renewals ADD COLUMN replied_at BIGINT;
        """), rebuildsReferencedTable: true)
}
