import Storage

/// The outbox's indexes of live rows (queued or in flight) by ordering key and by first due time, keyed on
/// `delivered_at IS NULL` rather than on the status: a claim (pending → in flight) and a retry or release (in flight
/// → pending) change the status of every row they touch, and an index whose condition names a changed column is
/// rewritten on every such update, though the row stays live. `delivered_at` is set exactly when a row becomes
/// `delivered` (delivered or rejected; dead-lettered rows leave the table), so the set of rows is the same and only
/// the final change to delivered touches these indexes. Queries that use them state `delivered_at IS NULL` beside
/// their status condition.
enum OutboxLiveIndexMigration {
    static let migration =
        Migration(version: 64, name: "outbox live-row indexes keyed on delivery", sql: """
        DROP INDEX outbox_ordering;
        CREATE INDEX outbox_ordering ON outbox (endpoint, ordering_key, id)
            WHERE ordering_key IS NOT NULL AND delivered_at IS NULL;
        DROP INDEX outbox_first_due;
        CREATE INDEX outbox_first_due ON outbox (endpoint, first_due_at) WHERE delivered_at IS NULL;
        """)
}
