import Access
import Configuration
import Delivery
import Foundation
import GatewayKit
import POSAdapter
import Retail

/// `gateway pos import <file> [--format csv|json]` and `gateway pos sync`: POS data from the command line. Safe while
/// `gateway serve` runs on the same database (SQLite serialises the writes; the import is one transaction).
enum POSCommand {
    static let usage = """
          pos import <file> [--format csv|json]
                     load franchises and outlets (format from the file extension by default); all or nothing,
                     prints inserted / updated / unchanged counts
          pos sync   run the POS pull (pos.sync_url) once now, with the configured retries
        """

    static func run(_ options: CLIOptions, config: GatewayConfig) -> Int32 {
        switch options.positional.first {
        case "import": return importFile(options, config: config)
        case "sync":
            guard options.positional.count == 1, options.values.isEmpty, options.flags.isEmpty else {
                return usageError("pos sync takes no arguments")
            }
            return sync(config)
        default: return usageError("pos needs import or sync")
        }
    }

    private static func importFile(_ options: CLIOptions, config: GatewayConfig) -> Int32 {
        guard options.positional.count == 2, options.flags.isEmpty,
              options.values.keys.allSatisfy({ $0 == "format" }) else {
            return usageError("pos import takes one file and optionally --format csv|json")
        }
        let path = options.positional[1]
        guard let format = options.values["format"].map({ POSFileFormat(rawValue: $0.lowercased()) })
                ?? POSFileFormat(fileName: path) else {
            return usageError("pos import: say --format csv or --format json (the file name does not end in "
                              + ".csv or .json, or --format is neither)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            GatewayCLI.printError("pos import failed: cannot read \(path)")
            return 1
        }
        return withStore(config, action: "pos import") { store in
            let at = now()
            let audit: Addendum<POSImportReport> = Caller.commandLine.audited(
                "outlets.imported", "outlet", at: at, subject: { _ in nil },
                detail: { ["inserted": .integer(Int64($0.inserted)), "updated": .integer(Int64($0.updated)),
                           "unchanged": .integer(Int64($0.unchanged))] })
            let report = try POSSnapshotImport(settings: config.pos, observer: .configured)
                .run([UInt8](data), format: format, via: .fileImport, now: at, database: store.database,
                     addendum: audit)
            print("imported \(path): \(report)")
            return 0
        }
    }

    private static func sync(_ config: GatewayConfig) -> Int32 {
        guard let url = config.pos.syncURL else {
            GatewayCLI.printError("configuration error: pos sync needs pos.sync_url (POS_SYNC_URL)")
            return 78
        }
        return withStore(config, action: "pos sync") { store in
            let pull = POSPull(source: POSSnapshotClient(url: url, settings: config.pos),
                               importer: POSSnapshotImport(settings: config.pos, observer: .configured),
                               store: store, settings: config.pos,
                               metrics: nil, log: EventLog())
            defer { pull.shutdown() }
            var attempt = 1
            while true {
                switch pull.attempt(attempt, now: now()) {
                case .success(let report):
                    print("pulled \(url): \(report)")
                    return 0
                case .failure(let failure):
                    guard let delay = pull.retryDelay(after: attempt, failure) else {
                        GatewayCLI.printError("pos sync failed after \(attempt) attempt\(attempt == 1 ? "" : "s") "
                                              + "(nothing changed): \(failure.detail)")
                        return 1
                    }
                    Thread.sleep(forTimeInterval: Double(delay) / 1000)
                    attempt += 1
                }
            }
        }
    }

    /// Opens the store, runs `body`, closes it; a thrown error is printed (a ``POSImportError`` with every problem).
    private static func withStore(_ config: GatewayConfig, action: String,
                                  _ body: (any GatewayStore) throws -> Int32) -> Int32 {
        guard let store = GatewayCLI.openStore(config) else { return 1 }
        defer { store.close() }
        do {
            return try body(store)
        } catch let error as POSImportError {
            GatewayCLI.printError("\(action) failed, nothing was changed:\n\(error)")
            return 1
        } catch {
            GatewayCLI.printError("\(action) failed, nothing was changed: \(error)")
            return 1
        }
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    private static func usageError(_ message: String) -> Int32 {
        GatewayCLI.printError("\(message)\n\n\(GatewayCLI.usage)")
        return 64
    }
}
