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
    /// Runs with foreign-key enforcement off, as SQLite's documented procedure for a table change `ALTER TABLE`
    /// cannot make (a new `CHECK` constraint) requires: the table is rebuilt — created under a new name, filled,
    /// the old one dropped, the new one renamed — and with enforcement on, dropping a table other tables reference
    /// fails. ``Migrator`` switches enforcement off before the transaction, checks `PRAGMA foreign_key_check`
    /// before committing (any violation rolls the migration back) and restores it afterwards.
    public let rebuildsReferencedTable: Bool

    public init(version: Int, name: String, sql: String, rebuildsReferencedTable: Bool = false) {
        self.version = version
        self.name = name
        self.sql = sql
        self.rebuildsReferencedTable = rebuildsReferencedTable
    }
}
