import Foundation
import Ingress
import Storage

/// A store in a temporary folder migrated up to just before one migration, so a test can fill it with rows as an
/// older gateway wrote them and then apply the rest; removed with the object.
package final class DatabaseBeforeMigration {
    package let directory: URL
    package let connection: SQLiteConnection

    package init(version: Int) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gw-mig\(version)-\(UUID().uuidString)")
        connection = try SQLiteConnection(path: directory.appendingPathComponent("m.sqlite").path, synchronous: .off)
        _ = try Migrator.migrate(connection, migrations: GatewaySchema.migrations.filter { $0.version < version })
    }

    deinit {
        connection.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Applies the remaining migrations; returns the versions applied.
    package func migrate() throws -> [Int] {
        try Migrator.migrate(connection, migrations: GatewaySchema.migrations)
    }
}
