/// Applies ``Migration``s to a PostgreSQL database, in their PostgreSQL form (``PostgresSchemaTranslation``), and
/// records them in a ledger table like ``Migrator``'s `schema_migrations(version, name, applied_at)`.
///
/// Each pass first (re)defines the few SQLite functions the gateway's SQL calls (``PostgresCompatibility``).
///
/// Several gateway instances may start at once against one database: the whole pass holds a session advisory lock
/// named after the ledger, so one instance applies what is pending while the others wait and then find nothing
/// left to do. The lock goes with the session, also when the instance dies holding it.
public enum PostgresMigrator {
    /// The ledger of the gateway's own schema.
    public static let defaultLedger = "schema_migrations"

    /// Applies the migrations the ledger does not record, ascending, each in its own transaction together with its
    /// ledger row. Versions the ledger holds but `migrations` does not (a newer build's) are left alone.
    /// - Parameter ledger: the ledger table; schemas with versions of their own (the inbox log's) keep their own
    ///   ledger in the same database.
    /// - Returns: the versions applied by this call, ascending.
    /// - Throws: ``StorageError/duplicateMigrationVersion(_:)`` before touching the database; else the failing
    ///   migration's error (earlier ones stay applied).
    public static func migrate(_ database: PostgresDatabase, migrations: [Migration],
                               ledger: String = defaultLedger) throws -> [Int] {
        var seen = Set<Int>()
        for migration in migrations where !seen.insert(migration.version).inserted {
            throw StorageError.duplicateMigrationVersion(migration.version)
        }
        return try database.session { connection in
            try connection.run("SELECT pg_advisory_lock(?)", [.integer(lockKey(ledger))])
            defer { _ = try? connection.run("SELECT pg_advisory_unlock(?)", [.integer(lockKey(ledger))]) }
            // Quiet: "already exists, skipping" notices of every pass after the first are no news.
            try connection.execute("SET client_min_messages TO warning")
            try connection.execute(PostgresCompatibility.functions)
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS \(ledger) (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """)
            let applied = Set(try versions(connection, ledger: ledger))
            var newlyApplied = [Int]()
            for migration in migrations.sorted(by: { $0.version < $1.version })
            where !applied.contains(migration.version) {
                let sql = try PostgresSchemaTranslation.statements(of: migration)
                try connection.transaction {
                    try connection.execute(sql)
                    try connection.run("""
                        INSERT INTO \(ledger) (version, name, applied_at)
                        VALUES (?, ?, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                        """, [.integer(Int64(migration.version)), .text(migration.name)])
                }
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }

    /// Versions the ledger records, ascending; empty before the first migration.
    public static func appliedVersions(_ database: PostgresDatabase, ledger: String = defaultLedger) throws -> [Int] {
        try database.read { connection in try versions(connection, ledger: ledger) }
    }

    private static func versions(_ connection: any DatabaseConnection, ledger: String) throws -> [Int] {
        guard try connection.queryOne("SELECT to_regclass(?) IS NOT NULL AS present", [.text(ledger)])?
            .bool("present") == true else { return [] }
        return try connection.query("SELECT version FROM \(ledger) ORDER BY version").compactMap { $0.int("version") }
    }

    /// The advisory lock of one ledger.
    static func lockKey(_ ledger: String) -> Int64 {
        AdvisoryLockKey.of("gateway-migrations:\(ledger)")
    }
}
