import CRM
import Configuration
import Conversations
import Delivery
import Foundation
import Ingress

/// `gateway purge`: the retention sweep (timeline entries after one year, REST idempotency keys after a day, the words
/// of deleted messages after `tickets.deleted_message_retention`). `gateway serve` runs the same daily; this is for a
/// gateway that is not running. Safe while `gateway serve` runs on the same database.
enum PurgeCommand {
    static let usage = """
          purge      delete timeline entries older than 1 year, idempotency keys older than 1 day and the words of
                     deleted messages older than tickets.deleted_message_retention
        """

    static func run(_ options: CLIOptions, config: GatewayConfig) -> Int32 {
        guard options.positional.isEmpty, options.values.isEmpty, options.flags.isEmpty else {
            GatewayCLI.printError("purge takes no arguments\n\n\(GatewayCLI.usage)")
            return 64
        }
        do {
            let store = try SQLiteGatewayStore(config: config.store, migrations: GatewaySchema.migrations)
            defer { store.close() }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let report = try RetentionPurge.run(store: store, now: now)
            let words = try TicketMessageDeletions.purge(
                store: store, retentionMilliseconds: Int64(config.tickets.deletedMessageRetentionMilliseconds), now: now)
            print("purged \(report.timelineEntries) timeline entries, \(report.idempotencyKeys) idempotency keys, "
                  + "\(words) deleted messages' words")
            return 0
        } catch {
            GatewayCLI.printError("purge failed: \(error)")
            return 1
        }
    }
}
