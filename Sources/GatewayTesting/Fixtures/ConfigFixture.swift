import Configuration
import Foundation
import GatewayKit

/// Configuration text loaded the way `gateway serve --config FILE` loads it (and, on its own, through
/// `ConfigLoader.apply`), for the config tests.
package enum ConfigFixture {
    package static func load(_ json: String, env: [String: String] = [:]) throws(ConfigError) -> GatewayConfig {
        var config = GatewayConfig()
        try ConfigLoader.apply(json: Array(json.utf8), origin: "test.json", to: &config)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).json")
        try? Data(json.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try ConfigLoader.load(file: file.path, environment: env)
    }

    /// The error loading `json` (with `env`) fails with, or nil when it loads.
    package static func error(_ json: String, env: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try load(json, env: env)
            return nil
        } catch {
            return error
        }
    }
}
