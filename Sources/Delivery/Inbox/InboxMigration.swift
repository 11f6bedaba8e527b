import Storage

/// The inbox: every verified delivery as it arrived (`inbox`) and the items normalization found in it
/// (`inbox_items`), plus `gateway_meta`, the store's own key/value row (the readiness probe writes there).
enum InboxMigration {
    static let migration =
        Migration(version: 1, name: "inbox", sql: """
        CREATE TABLE gateway_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE inbox (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            dedupe_key TEXT NOT NULL UNIQUE,
            received_at INTEGER NOT NULL,
            request_id TEXT,
            traceparent TEXT,
            body BLOB NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            processed_at INTEGER,
            response_status INTEGER NOT NULL,
            response_body BLOB NOT NULL
        );
        CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';
        CREATE TABLE inbox_items (
            id INTEGER PRIMARY KEY,
            inbox_id INTEGER NOT NULL REFERENCES inbox (id),
            kind TEXT NOT NULL,
            dedupe_key TEXT UNIQUE,
            occurred_at INTEGER,
            payload TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'failed', 'ignored')),
            error TEXT,
            path TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX inbox_items_pending ON inbox_items (kind, id) WHERE status = 'pending';
        CREATE INDEX inbox_items_by_delivery ON inbox_items (inbox_id);
        """)
}
