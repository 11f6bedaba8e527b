import Delivery
import Foundation
import HTTPTesting
import Ingress
import Storage
import Synchronization

/// Which engine a ``TestGateway`` runs on: SQLite files unless `GATEWAY_TEST_STORE=postgres` (the black-box suites on
/// PostgreSQL), or what a test asks for.
package enum TestStoreEngine: Sendable {
    case sqlite
    case postgres

    /// The engine the environment chose for this test run.
    package static var configured: TestStoreEngine {
        ProcessInfo.processInfo.environment["GATEWAY_TEST_STORE"] == "postgres" ? .postgres : .sqlite
    }
}

/// Fresh gateway databases on the test process's shared PostgreSQL cluster. The migrations run once, into a template;
/// each test database is a copy of it (`CREATE DATABASE … TEMPLATE`), which takes milliseconds where migrating takes
/// much longer.
package enum PostgresTestDatabases {
    /// A new migrated database; its name and connection string.
    package static func create() throws -> (name: String, url: String) {
        try admin.withLock { state in
            let cluster = try PostgresCluster.shared()
            if state.connection == nil {
                state.connection = try PostgresConnection(cluster.connectionString())
                try makeTemplate(cluster, connection: state.connection!)
            }
            let name = "gw_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
            try state.connection!.execute("CREATE DATABASE \(name) TEMPLATE \(template)")
            return (name, cluster.connectionString(database: name))
        }
    }

    /// Removes a database ``create()`` made, closing whatever connections to it are left.
    package static func drop(_ name: String) {
        admin.withLock { state in _ = try? state.connection?.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }

    private static let template = "gateway_template"

    private static func makeTemplate(_ cluster: PostgresCluster, connection: PostgresConnection) throws {
        try connection.execute("CREATE DATABASE \(template)")
        var settings = StoreSettings()
        settings.driver = "postgres"
        settings.databaseURL = cluster.connectionString(database: template)
        // Migrating closes its connections again: a template must have none when it is copied.
        _ = try PostgresGatewayStore.migrate(config: settings, migrations: GatewaySchema.migrations)
    }

    /// The connection that creates and drops databases (one at a time: a connection is not shared).
    private static let admin = Mutex<AdminState>(AdminState())

    private struct AdminState: ~Copyable {
        var connection: PostgresConnection?
    }
}
