/// One schema change, applied at most once per database.
///
/// `sql` is the embedded engine's form and may hold several statements; it runs inside a transaction that
/// ``Migrator`` opens, so it must not contain `BEGIN`/`COMMIT` itself (or statements SQLite refuses in a transaction,
/// such as `VACUUM` or changing `journal_mode`).
///
/// On PostgreSQL (``PostgresMigrator``) the same text runs through ``PostgresSchemaTranslation``, which rewrites the
/// mechanical differences (types, row ids, `WITHOUT ROWID`). What that cannot express — triggers, `json_each`,
/// `INSERT OR IGNORE`, table rebuilds, SQLite-only functions — the migration states itself in `postgres`, in the one
/// place beside its SQLite text.
public struct Migration: Sendable {
    /// Ordering key; never reuse or renumber a version once it has shipped.
    public let version: Int
    /// Short human-readable label, recorded in `schema_migrations`.
    public let name: String
    public let sql: String
    /// How the migration differs on PostgreSQL; nil when the translated `sql` is right as it is.
    public let postgres: PostgresForm?
    /// Runs with foreign-key enforcement off, as SQLite's documented procedure for a table change `ALTER TABLE`
    /// cannot make (a new `CHECK` constraint) requires: the table is rebuilt — created under a new name, filled,
    /// the old one dropped, the new one renamed — and with enforcement on, dropping a table other tables reference
    /// fails. ``Migrator`` switches enforcement off before the transaction, checks `PRAGMA foreign_key_check`
    /// before committing (any violation rolls the migration back) and restores it afterwards.
    public let rebuildsReferencedTable: Bool

    public init(version: Int, name: String, sql: String, postgres: PostgresForm? = nil,
                rebuildsReferencedTable: Bool = false) {
        self.version = version
        self.name = name
        self.sql = sql
        self.postgres = postgres
        self.rebuildsReferencedTable = rebuildsReferencedTable
    }

    /// A migration's PostgreSQL form where the mechanical translation of its SQLite text is not enough.
    public enum PostgresForm: Sendable {
        /// Statements of its own (a table rebuild becomes an `ALTER TABLE`, a data repair of databases older than
        /// PostgreSQL support becomes nothing), run as written: no translation.
        case statements(String)
        /// The SQLite text with each passage (which must occur; the first occurrence) replaced by its `postgres`
        /// text, then translated: for a migration that differs in a clause or two.
        case replacing([Replacement])
    }

    /// One passage of a migration's SQLite text and what stands in its place on PostgreSQL.
    public struct Replacement: Sendable {
        /// The passage: this text, or (with `end`) from this text through the first `end` after it.
        public let start: String
        public let end: String?
        public let postgres: String

        /// Replaces the exact text `sqlite`.
        public init(_ sqlite: String, with postgres: String) {
            start = sqlite
            end = nil
            self.postgres = postgres
        }

        /// Replaces the passage from `start` through the first `end` after it (a trigger from its name to its `END;`).
        public init(from start: String, through end: String, with postgres: String) {
            self.start = start
            self.end = end
            self.postgres = postgres
        }
    }
}
