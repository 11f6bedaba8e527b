import Storage

/// Migration 54: what the desk's figures read of renewal cycles — each cycle with its outlet, due date, outcome and
/// whether a reminder went out.
enum RenewalFiguresMigration {
    static let migration = Migration(version: 54, name: "renewal figures view", sql: """
        CREATE VIEW renewal_figures AS
            SELECT r.id AS renewal_id, r.fid, r.oid, r.due_date, r.status, r.renewed_at, r.renewed_after_expiry,
                   EXISTS (SELECT 1 FROM renewal_attempts a WHERE a.renewal_id = r.id AND a.result = 'sent')
                       AS reminded
            FROM renewals r;
        """, postgres: .replacing([
            // 1 or 0 as on SQLite, not PostgreSQL's booleans.
            .init("a.result = 'sent')", with: "a.result = 'sent')::int"),
        ]))
}
