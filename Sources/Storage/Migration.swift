/// One schema change, applied at most once per database.
///
/// `sql` may hold several statements; it runs inside a transaction that ``Migrator`` opens, so it
/// must not contain `BEGIN`/`COMMIT` itself (or statements SQLite refuses in a transaction, such
/// as `VACUUM` or changing `journal_mode`).
public struct Migration: Sendable {
    /// Ordering key; never reuse or renumber a version once it has shipped.
    public let version: Int
    /// Short human-readable label, recorded in `schema_migrations`.
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
