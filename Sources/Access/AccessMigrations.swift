import Storage

/// The tables this module owns: who may sign in or call the API and with what role and scope, and the audit log.
enum AccessMigrations {
    static let credentials = Migration(version: 26, name: "users, scopes, API tokens and sessions", sql: """
        -- People who sign in to the console. password_hash: PasswordHash's format (never the password). disabled_at
        -- set = no new sessions and every open session and token of the user refused.
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            disabled_at INTEGER
        );
        -- What a user may see: a franchise (fid), an outlet (oid) or an outlet of a franchise; no row = everything.
        CREATE TABLE user_scope (
            user_id INTEGER NOT NULL REFERENCES users (id),
            fid TEXT,
            oid TEXT,
            CHECK (fid IS NOT NULL OR oid IS NOT NULL)
        );
        CREATE INDEX user_scope_by_user ON user_scope (user_id);
        -- API tokens: the SHA-256 of the secret only (it is shown once), a prefix to recognise it by, a role and a scope
        -- of their own. Revoked and expired tokens stay listed.
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            role TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER,
            revoked_at INTEGER,
            last_used_at INTEGER
        );
        CREATE TABLE api_token_scope (
            token_id INTEGER NOT NULL REFERENCES api_tokens (id),
            fid TEXT,
            oid TEXT,
            CHECK (fid IS NOT NULL OR oid IS NOT NULL)
        );
        CREATE INDEX api_token_scope_by_token ON api_token_scope (token_id);
        -- Console sessions: the SHA-256 of the cookie's secret; idle expiry from last_seen_at, absolute from
        -- expires_at; ended_at set by logout.
        CREATE TABLE user_sessions (
            id INTEGER PRIMARY KEY,
            session_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users (id),
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            ended_at INTEGER,
            source_ip TEXT
        );
        CREATE INDEX user_sessions_by_user ON user_sessions (user_id);
        """, postgres: .replacing([
            // SQLite's NOCASE: equal and unique whatever the letter case, from a non-deterministic ICU collation.
            .init("CREATE TABLE users (", with: """
                CREATE COLLATION IF NOT EXISTS nocase
                    (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
                CREATE TABLE users (
                """),
        ]))

    static let audit = Migration(version: 27, name: "audit events", sql: """
        -- Every state change made through /v1 and the command line, written in the transaction of the change: who
        -- (actor, credential), what (action, subject), the change with personal data left out (detail, JSON), the
        -- request id, time (unix ms) and source address. Rows are never updated; only the retention purge deletes them.
        CREATE TABLE audit_events (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            credential_id TEXT NOT NULL,
            action TEXT NOT NULL,
            subject_type TEXT NOT NULL,
            subject_id TEXT,
            detail TEXT,
            request_id TEXT,
            source_ip TEXT
        );
        CREATE INDEX audit_events_by_time ON audit_events (at);
        CREATE INDEX audit_events_by_subject ON audit_events (subject_type, subject_id);
        CREATE INDEX audit_events_by_actor ON audit_events (actor);
        CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
        BEGIN
            SELECT RAISE(ABORT, 'audit events are append-only');
        END;
        """, postgres: .replacing([
            .init(from: "CREATE TRIGGER audit_events_append_only", through: "END;",
                  with: PostgresTrigger.refusingUpdates(name: "audit_events_append_only", table: "audit_events",
                                                        message: "audit events are append-only")),
        ]))
}

/// The migrations of this module's tables, for the app to hand to the store with every other module's.
public enum AccessSchema {
    public static let migrations: [Migration] = [AccessMigrations.credentials, AccessMigrations.audit]
}
