import Configuration
import Delivery
import Foundation
import GatewayKit
import HTTPTesting
import Ingress

/// A throwaway PostgreSQL server for the benchmark's PostgreSQL runs (`--postgres yes`): started in a temporary
/// folder on a free port like the tests' (Debian's `postgresql` package), a fresh database per run, stopped at the
/// end. `--database-url URL` uses an existing server's database instead (emptied by the caller beforehand).
struct BenchPostgres {
    private let cluster: PostgresCluster?
    private let url: String?

    init?(options: BenchOptions) throws {
        if let url = options.optionalString("database-url") {
            cluster = nil
            self.url = url
        } else if options.string("postgres", default: "no") == "yes" {
            cluster = try PostgresCluster()
            url = nil
        } else {
            return nil
        }
    }

    /// The connection string of a new, empty database for one run.
    func database(_ name: String) throws -> String {
        if let url { return url }
        return try cluster!.createDatabase(name + "_" + UUID().uuidString.prefix(6).lowercased())
    }

    /// A gateway configuration on `url`.
    static func configure(_ config: inout GatewayConfig, url: String, instances: Int) {
        config.store.driver = "postgres"
        config.store.databaseURL = url
        // Two instances share the server's connections.
        config.store.poolSize = instances > 1 ? 12 : 16
    }

    func stop() { cluster?.stop() }

    /// `count` started gateways with `config` (on one shared database).
    static func instances(_ count: Int, config: GatewayConfig) throws -> [GatewayApp] {
        var apps: [GatewayApp] = []
        do {
            for _ in 0..<count {
                let app = try GatewayApp(config: config, log: EventLog(minimum: .error))
                try app.start()
                apps.append(app)
            }
        } catch {
            apps.forEach { $0.shutdown() }
            throw error
        }
        return apps
    }
}
