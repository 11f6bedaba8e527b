import Storage

/// The store's own small key/value table (`gateway_meta`): markers such as the readiness probe's last write or the
/// time of the last successful POS pull. Modules keep their markers here through this API, under keys of their own.
public enum GatewayMeta {
    /// The value stored under `key`, nil when none is.
    public static func value(_ key: String, in connection: any DatabaseConnection) throws -> String? {
        try connection.queryOne("SELECT value FROM gateway_meta WHERE key = ?", [.text(key)])?.string("value")
    }

    /// Stores the number `value` under `key` unless a larger number is stored there already (a cursor never moves
    /// back, whichever of two writers commits last).
    public static func raise(_ key: String, to value: Int64, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO gateway_meta (key, value) VALUES (?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            WHERE CAST(excluded.value AS BIGINT) > CAST(gateway_meta.value AS BIGINT)
            """, [.text(key), .text(String(value))])
    }

    /// Stores `value` under `key`, replacing what was there.
    public static func set(_ key: String, to value: String, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO gateway_meta (key, value) VALUES (?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, [.text(key), .text(value)])
    }
}
