import Delivery
import Foundation
import Ingress

/// A store with every module's tables, in a folder of its own that ``remove()`` deletes: for tests that work on the
/// store directly, without a running gateway.
package enum ScratchStore {
    /// Opens a store in a new folder named after `name`; `synchronous = normal` (tests need no power-loss safety).
    package static func open(_ name: String) throws -> (store: SQLiteGatewayStore, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(name)-\(UUID().uuidString)")
        var settings = StoreSettings()
        settings.path = directory.appendingPathComponent("gateway.sqlite").path
        settings.synchronous = "normal"
        return (try SQLiteGatewayStore(config: settings, migrations: GatewaySchema.migrations), directory)
    }

    /// Closes `store` and deletes its folder.
    package static func remove(_ store: SQLiteGatewayStore?, _ directory: URL?) {
        store?.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}
