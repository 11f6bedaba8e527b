import Foundation
import XCTest

/// The rules of the storage seam, checked on the source tree so a change that breaks one fails here rather than in a
/// review: only the engine and the composition name SQLite; routes call services and never open a unit of work; every
/// table is written by one module and read by others only through views.
final class ArchitectureRulesTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where naming the SQLite types is the job: the engine, the embedded store and the choice between the engines,
    /// the app that opens it, the executables and the test support.
    private let engineAndComposition = [
        "Sources/Storage/", "Sources/CSQLite/", "Sources/Delivery/Store/SQLiteGatewayStore.swift",
        "Sources/Delivery/Store/GatewayStores.swift",
        "Sources/Ingress/App/GatewayApp.swift", "Sources/gateway/", "Sources/gateway-bench/",
        "Sources/GatewayTesting/", "Sources/GatewayTestSupport/",
    ]
    /// Not domain code: the engine, executables and test support write tables to set up or measure.
    private let notDomain = ["Storage", "CSQLite", "gateway", "gateway-bench", "GatewayTesting", "GatewayTestSupport",
                             "Fuzz"]

    func testOnlyTheEngineAndTheCompositionNameSQLiteTypes() throws {
        let offenders = try swiftFiles().filter { file in
            !engineAndComposition.contains { file.path.hasPrefix($0) }
                && file.code.range(of: #"\bSQLite[A-Z]\w*"#, options: .regularExpression) != nil
        }.map(\.path)
        XCTAssertEqual(offenders, [], "feature code works on Database / DatabaseConnection, not on the SQLite engine")
    }

    func testRoutesCallServicesAndNeverOpenAUnitOfWork() throws {
        let routeFiles = try swiftFiles().filter {
            $0.path.hasPrefix("Sources/Ingress/Routes/") || $0.path.hasPrefix("Sources/Ingress/Features/")
        }
        XCTAssertFalse(routeFiles.isEmpty)
        for file in routeFiles {
            XCTAssertNil(file.code.range(of: #"\b(database|store)\.(read|write)\b"#, options: .regularExpression),
                         "\(file.path) opens a unit of work; call its module's service instead")
            XCTAssertNil(file.code.range(of: "import Storage"), "\(file.path) imports the storage layer")
            XCTAssertNil(file.code.range(of: #"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b"#,
                                         options: .regularExpression), "\(file.path) holds SQL")
        }
    }

    /// Migrations are left out: an applied migration is never edited, and three early ones extend `tickets` from the
    /// modules that introduced those columns (see docs/ARCHITECTURE.md).
    func testEveryTableIsWrittenByOneModule() throws {
        let writers = try tableWriters()
        XCTAssertGreaterThan(writers.count, 20, "the scan found the tables")
        let shared = writers.filter { $0.value.count > 1 }.mapValues { $0.sorted() }
        XCTAssertEqual(shared, [:], "a table is written by its owner only; other modules call the owner's API")
    }

    /// A module's SQL reads its own tables; another module's data it reads through that module's API or a view the
    /// owner publishes (`ticket_outlet_links`), or one it declares and the owner provides (`outlet_labels`).
    func testModulesReadOtherModulesTablesOnlyThroughViews() throws {
        let owners = try tableWriters().compactMapValues { $0.count == 1 ? $0.first : nil }
        let read = try NSRegularExpression(pattern: #"\b(?:FROM|JOIN)\s+([a-z_]+)\b"#)
        var crossings: [String] = []
        for (path, module, code) in try domainFiles() {
            let text = code as NSString
            for match in read.matches(in: code, range: NSRange(location: 0, length: text.length)) {
                let table = text.substring(with: match.range(at: 1))
                if let owner = owners[table], owner != module { crossings.append("\(path) reads \(owner)'s \(table)") }
            }
        }
        XCTAssertEqual(crossings, [])
    }

    /// The modules whose SQL writes each table (INSERT, UPDATE, DELETE outside migrations).
    private func tableWriters() throws -> [String: Set<String>] {
        var writers: [String: Set<String>] = [:]
        let write = try NSRegularExpression(pattern: #"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)\b"#)
        for (_, module, code) in try domainFiles() {
            let text = code as NSString
            for match in write.matches(in: code, range: NSRange(location: 0, length: text.length)) {
                writers[text.substring(with: match.range(at: 1)), default: []].insert(module)
            }
        }
        return writers
    }

    /// The domain's Swift files outside migrations, with their module (an adapter's is `<System>Adapter`).
    private func domainFiles() throws -> [(path: String, module: String, code: String)] {
        try swiftFiles().compactMap { file in
            let parts = file.path.split(separator: "/").map(String.init)
            guard !file.path.contains("Migration"), !file.path.contains("Schema"), parts.count > 2,
                  !notDomain.contains(parts[1]) else { return nil }
            return (file.path, parts[0] == "Adapters" ? parts[1] + "Adapter" : parts[1], file.code)
        }
    }

    /// Every Swift file of `Sources/` and `Adapters/`, with comments removed (they may name anything).
    private func swiftFiles() throws -> [(path: String, code: String)] {
        var files: [(String, String)] = []
        for folder in ["Sources", "Adapters"] {
            let base = root.appendingPathComponent(folder)
            guard let walk = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walk where url.pathExtension == "swift" {
                let text = try String(contentsOf: url, encoding: .utf8)
                let code = text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { line in line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line) }
                    .joined(separator: "\n")
                files.append((url.path.replacingOccurrences(of: root.path + "/", with: ""), code))
            }
        }
        XCTAssertFalse(files.isEmpty, "found the source tree from \(root.path)")
        return files.sorted { $0.0 < $1.0 }
    }
}
