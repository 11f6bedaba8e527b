import Configuration
import Delivery
import Foundation

/// Where a ``TestGateway`` keeps its data: a temporary folder (the SQLite files, media) and, on PostgreSQL, a fresh
/// database (``PostgresTestDatabases``), both removed once no gateway uses them any more. A test that restarts the
/// gateway starts the next one on the same store.
package final class TestStore: @unchecked Sendable {
    package let directory: URL
    /// The PostgreSQL database (name and connection string), nil on SQLite.
    package let postgresDatabase: (name: String, url: String)?

    package init(engine: TestStoreEngine = .configured) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-test-\(UUID().uuidString)")
        postgresDatabase = engine == .postgres ? try PostgresTestDatabases.create() : nil
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
        postgresDatabase.map { PostgresTestDatabases.drop($0.name) }
    }

    /// The environment that points the `gateway` program at this store.
    package var environment: [String: String] {
        guard let postgresDatabase else { return ["GATEWAY_DB": directory.appendingPathComponent("gateway.sqlite").path] }
        return ["GATEWAY_STORE_DRIVER": "postgres", "GATEWAY_DATABASE_URL": postgresDatabase.url]
    }

    /// Points `config` at this store.
    package func configure(_ config: inout GatewayConfig) {
        config.store.path = directory.appendingPathComponent("gateway.sqlite").path
        guard let postgresDatabase else { return }
        config.store.driver = "postgres"
        config.store.databaseURL = postgresDatabase.url
        config.store.poolSize = 6
    }
}
