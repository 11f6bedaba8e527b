import Storage

/// The outbox and the dead letters.
enum OutboxMigration {
    static let migration =
        Migration(version: 2, name: "outbox and dead letters", sql: """
        -- One row per outbound call, written in the same transaction as the state change that causes it.
        -- next_attempt_at (unix ms) is when the row may next be claimed: the next attempt time while 'pending',
        -- the lease expiry while 'in_flight' (so a dispatcher that dies leaves rows that become claimable again).
        -- Delivered rows stay for outbound.delivered_retention so a repeated idempotency key is still recognised.
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            endpoint TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            headers TEXT NOT NULL,
            body BLOB NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            ordering_key TEXT,
            traceparent TEXT,
            created_at INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_flight', 'delivered')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_owner TEXT,
            last_status INTEGER,
            last_error TEXT,
            history TEXT NOT NULL DEFAULT '[]',
            delivered_at INTEGER
        );
        CREATE INDEX outbox_due ON outbox (endpoint, next_attempt_at) WHERE status IN ('pending', 'in_flight');
        CREATE INDEX outbox_ordering ON outbox (endpoint, ordering_key, id)
            WHERE ordering_key IS NOT NULL AND status IN ('pending', 'in_flight');
        CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE status = 'delivered';
        -- Deliveries that will not be retried automatically: permanent failures, exhausted retries, endpoints
        -- without a URL (undeliverable) and 410 Gone. Replay moves a row back to the outbox with the same key.
        CREATE TABLE dead_letters (
            id INTEGER PRIMARY KEY,
            endpoint TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            headers TEXT NOT NULL,
            body BLOB NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            ordering_key TEXT,
            traceparent TEXT,
            created_at INTEGER NOT NULL,
            dead_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            reason TEXT NOT NULL CHECK (reason IN ('permanent', 'exhausted', 'undeliverable', 'gone')),
            error_class TEXT NOT NULL,
            last_status INTEGER,
            last_error TEXT,
            response_snippet TEXT,
            history TEXT NOT NULL
        );
        CREATE INDEX dead_letters_by_endpoint ON dead_letters (endpoint, id);
        CREATE INDEX dead_letters_by_time ON dead_letters (dead_at);
        """)
}
