/// Applies ``Migration``s and records them in `schema_migrations(version, name, applied_at)`.
public enum Migrator {
    /// Applies the migrations not yet recorded, in ascending version order, each in its own
    /// transaction together with its `schema_migrations` row: a migration is either fully applied
    /// and recorded or not at all, and a failure leaves the earlier ones in place.
    ///
    /// Versions recorded in the database but absent from `migrations` (written by a newer build)
    /// are left alone, so rolling back a deploy does not fail at start-up. Then the tables' enumerated `CHECK`
    /// constraints are stored in the form SQLite evaluates without a temporary b-tree (``EnumeratedChecks``).
    /// - Returns: The versions applied by this call, ascending (empty when up to date).
    /// - Throws: ``StorageError/duplicateMigrationVersion(_:)`` before touching the database if two
    ///   migrations share a version; otherwise the SQLite error of the failing migration.
    public static func migrate(_ connection: SQLiteConnection, migrations: [Migration]) throws -> [Int] {
        var seen = Set<Int>()
        for migration in migrations where !seen.insert(migration.version).inserted {
            throw StorageError.duplicateMigrationVersion(migration.version)
        }

        try createLedger(connection)
        let applied = Set(try appliedVersions(connection))
        var newlyApplied = [Int]()
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
            if migration.rebuildsReferencedTable {
                try withoutForeignKeys(connection) { try apply(migration, connection) }
            } else {
                try apply(migration, connection)
            }
            newlyApplied.append(migration.version)
        }
        try EnumeratedChecks.rewrite(connection)
        return newlyApplied
    }

    /// One migration and its ledger row in one transaction; a rebuild must leave no dangling reference.
    private static func apply(_ migration: Migration, _ connection: SQLiteConnection) throws {
        try connection.transaction {
            try connection.execute(migration.sql)
            if migration.rebuildsReferencedTable,
               let violation = try connection.queryOne("PRAGMA foreign_key_check", cached: false) {
                throw StorageError.foreignKeyViolation(version: migration.version,
                                                       table: violation.string("table") ?? "?")
            }
            try connection.run("""
                INSERT INTO schema_migrations (version, name, applied_at)
                VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                """, [.integer(Int64(migration.version)), .text(migration.name)])
        }
    }

    /// Runs `body` with foreign-key enforcement off (it can only be switched outside a transaction), then restores
    /// the connection's setting.
    private static func withoutForeignKeys(_ connection: SQLiteConnection, _ body: () throws -> Void) throws {
        let enforced = try connection.queryOne("PRAGMA foreign_keys", cached: false)?.int("foreign_keys") == 1
        try connection.execute("PRAGMA foreign_keys=OFF")
        defer { if enforced { try? connection.execute("PRAGMA foreign_keys=ON") } }
        try body()
    }

    /// Versions recorded in `schema_migrations`, ascending; empty if the table does not exist yet.
    public static func appliedVersions(_ connection: SQLiteConnection) throws -> [Int] {
        let ledger = try connection.queryOne(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        guard ledger != nil else { return [] }
        return try connection.query("SELECT version FROM schema_migrations ORDER BY version")
            .compactMap { $0.int("version") }
    }

    private static func createLedger(_ connection: SQLiteConnection) throws {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)
    }
}
