import Storage

/// The store `store.driver` names: where the app, the command line and `gateway migrate` open it.
public enum GatewayStores {
    /// Opens the configured store, applying the pending ones of `migrations` (every module's, from the app).
    public static func open(_ settings: StoreSettings, migrations: [Migration]) throws -> any GatewayStore {
        settings.usesPostgres
            ? try PostgresGatewayStore(config: settings, migrations: migrations)
            : try SQLiteGatewayStore(config: settings, migrations: migrations)
    }

    /// Applies pending migrations to the configured store without starting anything; the versions applied.
    public static func migrate(_ settings: StoreSettings, migrations: [Migration]) throws -> [Int] {
        settings.usesPostgres
            ? try PostgresGatewayStore.migrate(config: settings, migrations: migrations)
            : try SQLiteGatewayStore.migrate(config: settings, migrations: migrations)
    }
}
