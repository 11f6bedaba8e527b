import Storage

/// When each queued call was first meant to go, for the retry horizon by age (`outbound.max_retry_age`) and the
/// per-endpoint oldest-pending gauge.
enum OutboxFirstDueMigration {
    static let migration =
        Migration(version: 15, name: "outbox first due time", sql: """
        -- first_due_at (unix ms): the enqueue time, or the not-before time of a call scheduled for later (a reminder
        -- held back by quiet hours); a replayed dead letter starts again from its replay. Unlike next_attempt_at it
        -- never moves, so a call's age counts from when it could first have gone, not from its last attempt.
        -- NULL only for rows written by an older binary, which the horizon then leaves alone.
        ALTER TABLE outbox ADD COLUMN first_due_at INTEGER;
        -- Queued calls never tried were due at their next attempt time at the earliest; everything else since its
        -- state change.
        UPDATE outbox SET first_due_at = CASE WHEN status = 'pending' AND attempts = 0
                                              THEN max(created_at, next_attempt_at) ELSE created_at END
        WHERE status IN ('pending', 'in_flight');
        CREATE INDEX outbox_first_due ON outbox (endpoint, first_due_at) WHERE status IN ('pending', 'in_flight');
        """, postgres: .replacing([
            .init("max(created_at, next_attempt_at)", with: "GREATEST(created_at, next_attempt_at)"),
        ]))
}
