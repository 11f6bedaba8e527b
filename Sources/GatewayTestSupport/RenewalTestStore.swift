import Configuration
import Delivery
import Foundation
import GatewayTesting
import Ingress
import Messaging
import POSAdapter
import Retail
import Storage
import WhatsAppAdapter
import XCTest

/// A temporary store for the renewal parts on their own (no HTTP, no dispatcher): POS imports through the renewal
/// observer, the scheduler sending through a WhatsApp sender with a phone number id, reads.
package final class RenewalTestStore {
    package let directory: URL
    package let store: SQLiteGatewayStore
    package let scheduler: RenewalScheduler
    /// What the scheduler sends with (a phone number id set, clock at 0).
    package let sender: WhatsAppSender
    package let config: GatewayConfig

    package init(configure: (inout GatewayConfig) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("renewal-test-\(UUID().uuidString)")
        var config = GatewayConfig()
        config.store.path = directory.appendingPathComponent("gateway.sqlite").path
        config.store.synchronous = "normal"
        config.whatsapp.phoneNumberID = "1234567890"
        configure(&config)
        self.config = config
        store = try SQLiteGatewayStore(config: config.store, migrations: GatewaySchema.migrations)
        let catalog = try WhatsAppTemplateCatalog.load(directory: TestGateway.templatesDirectory, defaultLanguage: "en")
        sender = WhatsAppSender(catalog: catalog, phoneNumberID: config.whatsapp.phoneNumberID, clock: { 0 })
        scheduler = RenewalScheduler(config: config, sender: sender)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Imports a POS CSV (header `fid,franchise_name,oid,name,phones,expiry_date,status,time_zone`) at `at`, through
    /// the observer every writer of outlets uses.
    package func importCSV(_ rows: String, at: Int64) throws {
        let text = "fid,franchise_name,oid,name,phones,expiry_date,status,time_zone\n" + rows
        _ = try POSSnapshotImport(settings: config.pos, observer: .configured)
            .run(Array(text.utf8), format: .csv, via: .fileImport, now: at, database: store.database)
    }

    @discardableResult
    package func run(at: Int64) throws -> RenewalRunReport {
        try store.writer.perform { [scheduler] in try scheduler.run(at: at, in: $0) }
    }

    package func write<T: Sendable>(_ body: @escaping @Sendable (any DatabaseConnection) throws -> T) throws -> T {
        try store.writer.perform(body)
    }

    package func rows(_ sql: String, _ params: [SQLValue] = []) throws -> [[String: String]] {
        try DatabaseInspector.rows(path: config.store.path, sql: sql, params)
    }

    /// `oid status[ reason]` of every cycle, by OID.
    package func cycles() throws -> [String] {
        try rows("SELECT oid, status, stop_reason FROM renewals ORDER BY oid").map { row in
            [row["oid"], row["status"], row["stop_reason"]].compactMap { $0 }.joined(separator: " ")
        }
    }

    /// `oid offset phone result` of every attempt.
    package func attempts() throws -> [String] {
        try rows("""
            SELECT r.oid, a.offset_days, a.phone, a.result FROM renewal_attempts a JOIN renewals r ON r.id = a.renewal_id
            ORDER BY r.oid, a.offset_days, a.phone
            """).map { "\($0["oid"]!) \($0["offset_days"]!) \($0["phone"]!) \($0["result"]!)" }
    }
}
