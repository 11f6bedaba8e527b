import Storage

/// Migration 13: which outbound endpoints a 410 Gone disabled, so they stay disabled across restarts until an
/// operator re-enables them. Owned by the dispatcher (``DisabledEndpoints``).
public enum DisabledEndpointsMigration {
    public static let migration = Migration(version: 13, name: "disabled outbound endpoints", sql: """
        -- One row per endpoint a 410 Gone disabled: the dispatcher sends it nothing (its queue waits) until
        -- POST /v1/endpoints/{name}/enable deletes the row. Written in the transaction that dead-letters the delivery
        -- answered 410, read when the dispatcher starts.
        CREATE TABLE outbound_disabled_endpoints (
            endpoint TEXT PRIMARY KEY,
            -- The HTTP status that disabled it (410) and the delivery that got it.
            status INTEGER NOT NULL,
            idempotency_key TEXT NOT NULL,
            disabled_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """)
}
