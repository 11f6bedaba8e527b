import Configuration
import Delivery
import Foundation
import Identity
import Ingress
import Storage

/// `gateway identity duplicates`: the duplicate-customer KPI from the command line. Applies pending migrations (so it
/// works on a fresh file), then reads only.
enum IdentityCommand {
    static func duplicates(_ config: GatewayConfig) -> Int32 {
        do {
            _ = try SQLiteGatewayStore.migrate(config: config.store, migrations: GatewaySchema.migrations)
            let connection = try SQLiteConnection(path: config.store.path, readOnly: true)
            defer { connection.close() }
            let report = try DuplicateCustomerReport.scan(in: connection)
            print("live customers: \(report.liveCustomers)")
            print("duplicate groups: \(report.groups.count)")
            print("duplicate customer rate: \(String(format: "%.4f", report.duplicateRate))")
            for group in report.groups {
                print("\(group.kind) \(group.value): \(group.contactIDs.joined(separator: " "))")
            }
            return report.groups.isEmpty ? 0 : 3
        } catch {
            GatewayCLI.printError("identity duplicates failed: \(error)")
            return 1
        }
    }
}
