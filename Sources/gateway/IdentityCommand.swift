import Configuration
import Delivery
import Foundation
import Identity
import Storage

/// `gateway identity duplicates`: the duplicate-customer KPI from the command line, on the configured store (SQLite or
/// PostgreSQL). Applies pending migrations (so it works on a fresh store), then reads only.
enum IdentityCommand {
    static func duplicates(_ config: GatewayConfig) -> Int32 {
        guard let store = GatewayCLI.openStore(config) else { return 1 }
        defer { store.close() }
        do {
            let report = try store.database.read { try DuplicateCustomerReport.scan(in: $0) }
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
