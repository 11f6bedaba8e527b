import Storage

/// Migration 3: contacts (minimal), deals, tickets, room previews, timeline entries and REST idempotency keys.
///
/// Deals and tickets share their common columns (room, contact, creator, source, times, version, soft delete) so one
/// set of record statements serves both; each adds its own typed fields, which later segment queries filter on.
enum DealsSchema {
    static let sql = """
        -- The contacts as far as this feature needs them: which contact ids exist (a soft-deleted one does not).
        -- Records keep contact_id without a foreign key, so the contact model can move (the identity model's customers) without
        -- rewriting deals and tickets.
        CREATE TABLE contacts (
            id TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL,
            deleted_at INTEGER
        );

        -- id is the CRM id (AUTOINCREMENT: never reused, and in commit order, which the room tie-break relies on).
        -- created_at is the CRM creation time in unix ms. creator_flag is kept as sent ('bot', 'agentic_ai', or
        -- anything else, which means default creator behaviour). origin says which API created the record.
        CREATE TABLE deals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            unique_id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            pipeline TEXT,
            stage TEXT,
            size REAL,
            owner TEXT,
            priority TEXT,
            approval_status TEXT,
            room_id TEXT,
            contact_id TEXT,
            creator_flag TEXT,
            source TEXT NOT NULL,
            origin TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            deleted_at INTEGER
        );
        CREATE INDEX deals_by_room ON deals (room_id) WHERE room_id IS NOT NULL;
        CREATE INDEX deals_by_contact ON deals (contact_id) WHERE contact_id IS NOT NULL;

        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            unique_id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            status TEXT,
            pipeline TEXT,
            stage TEXT,
            owner TEXT,
            assignee TEXT,
            priority TEXT,
            reporter TEXT,
            due_at TEXT,
            sla_status TEXT,
            room_id TEXT,
            contact_id TEXT,
            creator_flag TEXT,
            source TEXT NOT NULL,
            origin TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            deleted_at INTEGER
        );
        CREATE INDEX tickets_by_room ON tickets (room_id) WHERE room_id IS NOT NULL;
        CREATE INDEX tickets_by_contact ON tickets (contact_id) WHERE contact_id IS NOT NULL;

        -- The one deal and one ticket a room shows (latest wins). record_id is NULL after the shown record was
        -- deleted (the room is back to its empty state). record_created_at copies the record's created_at so the
        -- latest-wins comparison is one row-value compare inside the upsert.
        CREATE TABLE room_previews (
            room_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('deal', 'ticket')),
            record_id INTEGER,
            record_created_at INTEGER,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (room_id, kind)
        ) WITHOUT ROWID;

        -- Chat-history timeline entries of records created with a room. Written with the record (preview pending),
        -- then the background fetch settles the preview exactly once; after that the row never changes (trigger).
        -- Only the retention purge deletes rows.
        CREATE TABLE timeline_entries (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('deal', 'ticket')),
            record_id INTEGER NOT NULL,
            room_id TEXT NOT NULL,
            creator_label TEXT,
            room_deeplink TEXT NOT NULL,
            preview_status TEXT NOT NULL DEFAULT 'pending'
                CHECK (preview_status IN ('pending', 'fetched', 'unavailable')),
            preview TEXT,
            preview_error TEXT,
            fetch_attempts INTEGER NOT NULL DEFAULT 0,
            next_fetch_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX timeline_by_record ON timeline_entries (kind, record_id, id);
        CREATE INDEX timeline_pending ON timeline_entries (next_fetch_at) WHERE preview_status = 'pending';
        CREATE INDEX timeline_by_age ON timeline_entries (created_at);
        CREATE TRIGGER timeline_entries_immutable BEFORE UPDATE ON timeline_entries
        WHEN OLD.preview_status <> 'pending'
            OR NEW.kind IS NOT OLD.kind OR NEW.record_id IS NOT OLD.record_id OR NEW.room_id IS NOT OLD.room_id
            OR NEW.creator_label IS NOT OLD.creator_label OR NEW.room_deeplink IS NOT OLD.room_deeplink
            OR NEW.created_at IS NOT OLD.created_at
        BEGIN
            SELECT RAISE(ABORT, 'timeline entries are immutable');
        END;

        -- Answers to REST POSTs that carried an Idempotency-Key: a retry with the same key and body gets the same
        -- answer; the same key with another body is refused.
        CREATE TABLE api_idempotency (
            route TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash BLOB NOT NULL,
            response_status INTEGER NOT NULL,
            response_body BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (route, key)
        );
        CREATE INDEX api_idempotency_by_age ON api_idempotency (created_at);
        """

    /// The timeline's immutability trigger, as a PostgreSQL trigger function (`IS NOT` is `IS DISTINCT FROM` there).
    static let postgres = Migration.PostgresForm.replacing([
        .init(from: "CREATE TRIGGER timeline_entries_immutable", through: "END;",
              with: PostgresTrigger.refusingUpdates(name: "timeline_entries_immutable", table: "timeline_entries",
                                                    when: """
                  OLD.preview_status <> 'pending' OR NEW.kind IS DISTINCT FROM OLD.kind
                      OR NEW.record_id IS DISTINCT FROM OLD.record_id OR NEW.room_id IS DISTINCT FROM OLD.room_id
                      OR NEW.creator_label IS DISTINCT FROM OLD.creator_label
                      OR NEW.room_deeplink IS DISTINCT FROM OLD.room_deeplink
                      OR NEW.created_at IS DISTINCT FROM OLD.created_at
                  """, message: "timeline entries are immutable")),
    ])
}
