import Storage

/// The tables this module owns: segment definitions, their members (kept between evaluations, so each evaluation
/// knows who joined and who left) and every evaluation's outcome (the size history).
public enum SegmentsSchema {
    public static let migrations: [Migration] = [
        Migration(version: 35, name: "segments", sql: """
            -- A rule over customers (`rule`: the API's JSON). readiness 'ready' once an evaluation completed since the
            -- rule last changed; member_count is that evaluation's.
            CREATE TABLE segments (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                description TEXT,
                rule TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
                readiness TEXT NOT NULL DEFAULT 'not_ready' CHECK (readiness IN ('not_ready', 'ready')),
                member_count INTEGER NOT NULL DEFAULT 0,
                evaluated_at INTEGER,
                refreshed_at INTEGER,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                archived_at INTEGER
            );
            CREATE TABLE segment_members (
                segment_id INTEGER NOT NULL REFERENCES segments (id),
                customer_id INTEGER NOT NULL,
                added_at INTEGER NOT NULL,
                PRIMARY KEY (segment_id, customer_id)
            ) WITHOUT ROWID;
            CREATE INDEX segment_members_by_customer ON segment_members (customer_id);
            CREATE TABLE segment_evaluations (
                id INTEGER PRIMARY KEY,
                segment_id INTEGER NOT NULL REFERENCES segments (id),
                at INTEGER NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('evaluated', 'failed', 'skipped')),
                member_count INTEGER,
                added INTEGER,
                removed INTEGER,
                duration_ms INTEGER,
                error TEXT
            );
            CREATE INDEX segment_evaluations_by_segment ON segment_evaluations (segment_id, id);
            """),
        SegmentAudienceMigration.migration,
    ]
}
