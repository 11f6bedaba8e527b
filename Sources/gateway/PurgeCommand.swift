import CRM
import Configuration
import Delivery
import Foundation
import Ingress

/// `gateway purge`: the retention sweep (timeline entries after one year, REST idempotency keys after a day). Meant
/// for a daily timer; safe while `gateway serve` runs on the same database.
enum PurgeCommand {
    static let usage = """
          purge      delete timeline entries older than 1 year and idempotency keys older than 1 day
        """

    static func run(_ options: CLIOptions, config: GatewayConfig) -> Int32 {
        guard options.positional.isEmpty, options.values.isEmpty, options.flags.isEmpty else {
            GatewayCLI.printError("purge takes no arguments\n\n\(GatewayCLI.usage)")
            return 64
        }
        do {
            let store = try SQLiteGatewayStore(config: config.store, migrations: GatewaySchema.migrations)
            defer { store.close() }
            let report = try RetentionPurge.run(store: store, now: Int64(Date().timeIntervalSince1970 * 1000))
            print("purged \(report.timelineEntries) timeline entries, \(report.idempotencyKeys) idempotency keys")
            return 0
        } catch {
            GatewayCLI.printError("purge failed: \(error)")
            return 1
        }
    }
}
