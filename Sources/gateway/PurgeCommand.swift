import Configuration
import Delivery
import Foundation
import Ingress

/// `gateway purge`: the retention sweep — every module's rules (``RetentionRules``: timeline entries, cached answers
/// of Idempotency-Keys, raw deliveries and their items, dead letters, message bodies, the words of deleted messages,
/// audit events, ended sessions), each after its `retention.*` time. `gateway serve` runs the same daily; this is for
/// a gateway that is not running, or from cron. Safe while `gateway serve` runs on the same database.
enum PurgeCommand {
    static let usage = """
          purge      the retention sweep: remove or empty what outlived its retention.* time (timeline entries,
                     raw deliveries, message bodies, dead letters, audit events, …); prints rows per kind
        """

    static func run(_ options: CLIOptions, config: GatewayConfig) -> Int32 {
        guard options.positional.isEmpty, options.values.isEmpty, options.flags.isEmpty else {
            GatewayCLI.printError("purge takes no arguments\n\n\(GatewayCLI.usage)")
            return 64
        }
        do {
            let store = try GatewayStores.open(config.store, migrations: GatewaySchema.migrations)
            defer { store.close() }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let report = try RetentionSweep.run(RetentionRules.all(config), on: store.database, now: now)
            print("purged " + report.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
            return 0
        } catch {
            GatewayCLI.printError("purge failed: \(error)")
            return 1
        }
    }
}
