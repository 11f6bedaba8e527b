import GatewayKit

extension StoreSettings {
    /// The keys of the `store` section: file key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<StoreSettings>] = [
        .string("store.driver", env: "GATEWAY_STORE_DRIVER", \.driver, allowed: ["sqlite", "postgres"]),
        .string("store.database_url", env: "GATEWAY_DATABASE_URL", secret: true, \.databaseURL),
        .int("store.pool_size", \.poolSize, range: 1...1_000),
        .duration("store.readiness_timeout", \.readinessTimeoutMilliseconds, range: 100...60_000),
        .string("store.path", env: "GATEWAY_DB", \.path),
        .string("store.inbox_path", env: "GATEWAY_INBOX_DB", \.inboxPath),
        .duration("store.inbox_log_retention", \.inboxLogRetentionMilliseconds, range: 0...(366 * 86_400_000)),
        .string("store.synchronous", env: "GATEWAY_SYNCHRONOUS", \.synchronous,
                allowed: ["off", "normal", "full", "extra"]),
        .int("store.reader_connections", \.readerConnections, range: 1...64),
        .int("store.writer_max_batch", \.writerMaxBatch, range: 1...10_000),
        .int("store.writer_queue_capacity", \.writerQueueCapacity, range: 1...1_000_000),
        .duration("store.readiness_failure_window", \.readinessFailureWindowMilliseconds, range: 0...86_400_000),
        .int("store.readiness_min_free_mib", \.readinessMinFreeMiB, range: 0...1_048_576),
    ]
}
