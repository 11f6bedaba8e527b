import Configuration
import Delivery
import Foundation
import GatewayKit
import Ingress
import POSAdapter
import Retail

/// `pos import` of a generated POS export (target: 100,000 outlets in ≤ 3 s). Each run is what the CLI does:
/// read the file, decode and check every row, apply them in one single-writer transaction on a real store. Runs: a
/// fresh CSV import (all inserted), the same file again (all unchanged), a file with every 10th outlet renewed
/// (updated), the daily renewal run over those outlets, and a fresh JSON import.
struct POSBenchmark {
    let outlets: Int
    let synchronous: String
    /// The WhatsApp templates the renewal run sends (run from the repository root by default).
    let templatesDirectory: String

    init(options: BenchOptions) {
        outlets = options.int("outlets", default: 100_000)
        synchronous = options.string("synchronous", default: "full")
        templatesDirectory = options.string("templates", default: "./Templates/whatsapp")
    }

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let csv = directory.appendingPathComponent("outlets.csv")
            try Data(Self.csv(outlets, renewedEvery: nil).utf8).write(to: csv)
            let renewed = directory.appendingPathComponent("renewed.csv")
            try Data(Self.csv(outlets, renewedEvery: 10).utf8).write(to: renewed)
            let json = directory.appendingPathComponent("outlets.json")
            try Data(Self.json(outlets).utf8).write(to: json)
            print("gateway-bench pos: \(outlets) outlets, \(outlets / 5) franchises, synchronous=\(synchronous); "
                  + "CSV \(Self.megabytes(csv)) MB, JSON \(Self.megabytes(json)) MB")

            var store = GatewayConfig().store
            store.path = directory.appendingPathComponent("pos.sqlite").path
            store.synchronous = synchronous
            try measureDecoding("CSV read + decode only", csv, .csv)
            try measureDecoding("JSON read + decode only", json, .json)
            try measure("CSV, empty store (all inserted)", csv, .csv, store)
            try measure("same CSV again (all unchanged)", csv, .csv, store)
            try measure("CSV, every 10th outlet renewed", renewed, .csv, store)
            try measureRenewalRuns(store)
            store.path = directory.appendingPathComponent("pos-json.sqlite").path
            try measure("JSON, empty store (all inserted)", json, .json, store)
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    /// One `pos import`: store opened beforehand (as the CLI's start-up), then file read + decode + import timed.
    private func measure(_ label: String, _ file: URL, _ format: POSFileFormat, _ config: StoreSettings) throws {
        let store = try SQLiteGatewayStore(config: config, migrations: GatewaySchema.migrations)
        defer { store.close() }
        let importer = POSSnapshotImport(settings: POSSettings())
        let start = Date()
        let bytes = [UInt8](try Data(contentsOf: file))
        let result = try importer.run(bytes, format: format, via: .fileImport, now: 1_767_225_600_000,
                                      database: store.database)
        let seconds = Date().timeIntervalSince(start)
        report(label, seconds, result.description)
    }

    /// Reading and checking the file alone (no store), to split the import's time.
    private func measureDecoding(_ label: String, _ file: URL, _ format: POSFileFormat) throws {
        let decoder = POSSnapshotDecoder(rules: OutletFieldRules(settings: POSSettings()))
        let start = Date()
        let rows = try decoder.decode([UInt8](try Data(contentsOf: file)), format: format)
        report(label, Date().timeIntervalSince(start), "\(rows.count) rows")
    }

    private func report(_ label: String, _ seconds: Double, _ detail: String) {
        print(label.padding(toLength: 36, withPad: " ", startingAt: 0)
              + String(format: "%6.2f s  %8.0f outlets/s  ", seconds, Double(outlets) / seconds) + detail)
    }

    /// A POS export: 5 outlets per franchise, one or two phones written the ways people write them.
    static func csv(_ count: Int, renewedEvery: Int?) -> String {
        var text = "fid,franchise_name,oid,name,phones,expiry_date,status,time_zone\n"
        text.reserveCapacity(count * 110)
        for n in 0..<count {
            let renewed = renewedEvery.map { n % $0 == 0 } ?? false
            let phones = n % 3 == 0 ? "\(phone(n, style: n));\(phone(n + count, style: n + 1))" : phone(n, style: n)
            text += "F\(n / 5),Franchise \(n / 5),O\(n),\"Outlet \(n), Jalan \(n % 97)\",\(phones),"
                + "\(expiry(n, renewed: renewed)),\(n % 50 == 0 ? "expired" : "active"),\(n % 7 == 0 ? "Asia/Kuching" : "")\n"
        }
        return text
    }

    static func json(_ count: Int) -> String {
        var text = "{\"outlets\": [\n"
        text.reserveCapacity(count * 190)
        for n in 0..<count {
            text += "{\"fid\":\"F\(n / 5)\",\"franchise_name\":\"Franchise \(n / 5)\",\"oid\":\"O\(n)\","
                + "\"name\":\"Outlet \(n)\",\"phones\":[\"\(phone(n, style: n))\"],\"expiry_date\":\"\(expiry(n, renewed: false))\","
                + "\"status\":\"active\"}\(n + 1 < count ? "," : "")\n"
        }
        return text + "]}\n"
    }

    /// A Malaysian mobile number in one of four spellings.
    private static func phone(_ n: Int, style: Int) -> String {
        let subscriber = String(10_000_000 + n % 90_000_000)
        switch style % 4 {
        case 0: return "+60 12-\(subscriber.prefix(3)) \(subscriber.dropFirst(3))"
        case 1: return "012-\(subscriber)"
        case 2: return "6012\(subscriber)"
        default: return "006012\(subscriber)"
        }
    }

    private static func expiry(_ n: Int, renewed: Bool) -> String {
        CalendarDate(daysSinceEpoch: 20_000 + n % 730 + (renewed ? 365 : 0)).description
    }

    private static func megabytes(_ file: URL) -> String {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        return String(format: "%.1f", Double(size) / 1_048_576)
    }
}
