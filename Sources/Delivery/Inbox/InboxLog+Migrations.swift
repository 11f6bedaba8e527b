import Storage

extension InboxLog {
    /// The log's own schema (a database of its own, so its versions count from 1). Ids never repeat
    /// (`AUTOINCREMENT`): pruning may empty the table, and the cursor must never see a new delivery under an old id.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "inbox log", sql: """
            CREATE TABLE deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                dedupe_hash INTEGER NOT NULL,
                dedupe_key TEXT NOT NULL,
                public_id TEXT NOT NULL,
                source TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                request_id TEXT,
                traceparent TEXT,
                body BLOB NOT NULL,
                response_status INTEGER NOT NULL,
                response_body BLOB NOT NULL
            );
            CREATE INDEX deliveries_by_dedupe_hash ON deliveries (dedupe_hash);
            CREATE TABLE readiness_probe (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                at INTEGER NOT NULL
            );
            """),
        readingOrder,
        sharedHashes,
    ]

    /// Each row's writing transaction, for reading in ``LogPosition`` order. On PostgreSQL the column is an `xid8`
    /// defaulting to `pg_current_xact_id()`, the rows logged before it get transaction 0 — so a cursor recorded as an
    /// id alone (transaction 0) still stands where it stood: the rows after it come first, then every new one — and
    /// the index by the hash becomes unique over (hash, key), which finds a duplicate appended at the same moment by
    /// another instance. The embedded log keeps transaction 0 and its index as they are: its one writer commits in id
    /// order and finds duplicates before inserting.
    static let readingOrder = Migration(
        version: 2, name: "inbox log reading order",
        sql: "ALTER TABLE deliveries ADD COLUMN txid INTEGER NOT NULL DEFAULT 0;",
        postgres: .statements("""
            ALTER TABLE deliveries ADD COLUMN txid xid8 NOT NULL DEFAULT '0';
            ALTER TABLE deliveries ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
            CREATE INDEX deliveries_in_reading_order ON deliveries (txid, id);
            DROP INDEX deliveries_by_dedupe_hash;
            CREATE UNIQUE INDEX deliveries_by_dedupe_hash ON deliveries (dedupe_hash, dedupe_key);
            """))

    /// On the embedded log the first row of each hash holds it in a unique index, so an append's insert finds a
    /// logged hash itself (a separate look cost as much as the insert); a row of another key under a logged hash is
    /// marked as sharing it and found by an index of its own. Of the rows logged before, the earliest of each hash
    /// holds it. PostgreSQL keeps its unique index over (hash, key), which appends running side by side need: there
    /// the column stays 0 and the index of rows sharing a hash empty.
    static let sharedHashes = Migration(
        version: 3, name: "inbox log hash held by one row",
        sql: """
            ALTER TABLE deliveries ADD COLUMN shares_hash INTEGER NOT NULL DEFAULT 0;
            UPDATE deliveries SET shares_hash = 1 WHERE id > (
                SELECT min(id) FROM deliveries AS earlier WHERE earlier.dedupe_hash = deliveries.dedupe_hash);
            DROP INDEX deliveries_by_dedupe_hash;
            CREATE UNIQUE INDEX deliveries_by_dedupe_hash ON deliveries (dedupe_hash) WHERE shares_hash = 0;
            CREATE INDEX deliveries_sharing_a_hash ON deliveries (dedupe_hash) WHERE shares_hash = 1;
            """,
        postgres: .replacing([Migration.Replacement(from: "UPDATE deliveries SET shares_hash",
                                                    through: "WHERE shares_hash = 0;", with: "")]))
}
