import Configuration
import Delivery
import Foundation
import Ingress
import POSAdapter
import Retail
import Storage
import XCTest

/// A temporary store with the POS tables, for testing imports, the writer and the resolver directly (no HTTP).
package final class POSTestStore {
    package let directory: URL
    package let store: SQLiteGatewayStore
    package let observer = RecordingOutletObserver()
    package var settings = POSSettings()

    package init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pos-test-\(UUID().uuidString)")
        var config = GatewayConfig()
        config.store.path = directory.appendingPathComponent("gateway.sqlite").path
        config.store.synchronous = "normal"
        store = try SQLiteGatewayStore(config: config.store, migrations: GatewaySchema.migrations)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    package func importText(_ text: String, _ format: POSFileFormat = .csv, now: Int64 = 1_000) throws -> POSImportReport {
        try POSSnapshotImport(settings: settings, observer: observer)
            .run(Array(text.utf8), format: format, via: .fileImport, now: now, database: store.database)
    }

    /// The import's error, failing the test when it succeeds.
    package func importError(_ text: String, _ format: POSFileFormat = .csv, file: StaticString = #filePath,
                     line: UInt = #line) -> POSImportError? {
        do {
            try importText(text, format)
            XCTFail("the import succeeded", file: file, line: line)
        } catch let error as POSImportError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    package func read<T>(_ body: (any DatabaseConnection) throws -> T) throws -> T { try store.read(body) }

    package func outlet(_ oid: String) throws -> OutletRecord? { try read { try OutletDirectory.outlet(oid, in: $0) } }

    /// Every row of every POS table, to show that a refused import changed nothing.
    package func dump() throws -> String {
        try read { connection in
            try ["franchises", "outlets", "outlet_phones", "contact_outlet"].map { table in
                try connection.query("SELECT * FROM \(table) ORDER BY 1, 2").map { row in
                    row.values.map { "\($0)" }.joined(separator: "|")
                }.joined(separator: "\n")
            }.joined(separator: "\n--\n")
        }
    }
}

/// Remembers the outlet changes it is told about; throws for one OID when asked to.
package final class RecordingOutletObserver: OutletChangeObserver, @unchecked Sendable {
    package struct Refusal: Error {}

    private let lock = NSLock()
    private var seen: [OutletChange] = []
    private var refusedOID: String?

    package init() {}

    package func outletChanged(_ change: OutletChange, in connection: any DatabaseConnection) throws {
        try lock.withLock {
            if change.after.oid == refusedOID { throw Refusal() }
            seen.append(change)
        }
    }

    package var changes: [OutletChange] { lock.withLock { seen } }

    package func refuse(_ oid: String?) { lock.withLock { refusedOID = oid } }

    package func reset() { lock.withLock { seen.removeAll() } }
}
