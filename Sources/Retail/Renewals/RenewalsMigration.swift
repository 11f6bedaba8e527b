import Storage

/// Migration 9: renewal cycles, their reminder attempts, opt-outs and the daily runs (the data model's `renewal` and
/// `renewal_attempt`). Kept beside the renewal code; ``Schema`` only lists it.
///
/// Idempotency lives in the keys: one cycle per outlet and expiry date, one attempt per cycle, reminder day and phone
/// — a second run on the same day finds every attempt already written and sends nothing.
enum RenewalsMigration {
    static let migration = Migration(version: 9, name: "renewal reminders", sql: """
        -- One renewal cycle per outlet and expiry date, created by the daily run once the date is within the horizon.
        -- status: open (reminders may go), renewed (a later expiry date arrived), lapsed (the last reminder's window
        -- passed; may still become renewed = recovered), stopped (outlet closed/suspended, or its expiry date moved
        -- earlier: stop_reason), opted_out (every phone of the outlet opted out).
        -- renewed_after_reminder / renewed_after_expiry are fixed when it renews (recovery figures).
        CREATE TABLE renewals (
            id INTEGER PRIMARY KEY,
            oid TEXT NOT NULL,
            fid TEXT NOT NULL,
            due_date TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'renewed', 'lapsed', 'stopped', 'opted_out')),
            stop_reason TEXT,
            renewed_at INTEGER,
            new_expiry_date TEXT,
            renewed_after_reminder INTEGER CHECK (renewed_after_reminder IN (0, 1)),
            renewed_after_expiry INTEGER CHECK (renewed_after_expiry IN (0, 1)),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (oid, due_date)
        );
        CREATE INDEX renewals_by_due_date ON renewals (due_date, id);
        CREATE INDEX renewals_by_status ON renewals (status, due_date, id);
        -- One row per renewal, reminder day (offset_days from due_date; scheduled_date = due_date + offset_days) and
        -- phone ('' when the outlet has none). result: sent, rescheduled (quiet hours: the message waits until
        -- sent_at), cancelled (a rescheduled message withdrawn before it went: renewed, stopped, opted out), failed
        -- (refused at once or reported failed), skipped_cap, skipped_opt_out, skipped_max_attempts, skipped_stale
        -- (a missed day whose next reminder day had come), skipped_no_phone. message_id: whatsapp_outbound_messages.
        CREATE TABLE renewal_attempts (
            id INTEGER PRIMARY KEY,
            renewal_id INTEGER NOT NULL REFERENCES renewals (id),
            offset_days INTEGER NOT NULL,
            scheduled_date TEXT NOT NULL,
            phone TEXT NOT NULL,
            channel TEXT NOT NULL DEFAULT 'whatsapp',
            template TEXT,
            language TEXT,
            result TEXT NOT NULL CHECK (result IN ('sent', 'rescheduled', 'cancelled', 'failed', 'skipped_cap',
                'skipped_opt_out', 'skipped_max_attempts', 'skipped_stale', 'skipped_no_phone')),
            detail TEXT,
            message_id INTEGER,
            sent_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (renewal_id, offset_days, phone)
        );
        -- The frequency cap's question: what went (or waits to go) to a phone recently.
        CREATE INDEX renewal_attempts_messaged ON renewal_attempts (sent_at, phone)
            WHERE result IN ('sent', 'rescheduled');
        CREATE INDEX renewal_attempts_waiting ON renewal_attempts (phone) WHERE result = 'rescheduled';
        CREATE INDEX renewal_attempts_by_message ON renewal_attempts (message_id) WHERE message_id IS NOT NULL;
        -- Phones that answered STOP/BERHENTI (opted_out_at set) or START/MULA afterwards (opted_out_at NULL).
        -- language: the keyword's language, used for that phone's reminders.
        CREATE TABLE renewal_opt_outs (
            phone TEXT PRIMARY KEY,
            contact_id TEXT,
            keyword TEXT NOT NULL,
            language TEXT NOT NULL,
            opted_out_at INTEGER,
            opted_in_at INTEGER,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- The daily runs, by reference date (pos.default_time_zone): when the last one ran and what it did.
        CREATE TABLE renewal_runs (
            run_date TEXT PRIMARY KEY,
            runs INTEGER NOT NULL,
            ran_at INTEGER NOT NULL,
            report TEXT NOT NULL
        ) WITHOUT ROWID;
        """)
}
