import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import Retail
import XCTest

/// The `pos` config keys (bad values name the key) and `gateway pos import` as a user runs it: counts on stdout,
/// non-zero exit with the problems on stderr, nothing written.
final class POSConfigAndCLITests: XCTestCase {
    func testPOSKeysLoadFromFileAndEnvironmentAndBadValuesNameTheKey() throws {
        let config = try ConfigFixture.load(#"{"pos": {"default_country_code": "62", "sync_time": "23:45", "sync_retry_delay": "30s"}}"#,
                                            env: ["POS_DEFAULT_TIME_ZONE": "Asia/Jakarta", "POS_SYNC_URL": "http://127.0.0.1:9/pos"])
        XCTAssertEqual(config.pos.defaultCountryCode, "62")
        XCTAssertEqual(config.pos.syncMinuteOfDay, 23 * 60 + 45)
        XCTAssertEqual(config.pos.syncRetryDelayMilliseconds, 30_000)
        XCTAssertEqual(config.pos.defaultTimeZone, "Asia/Jakarta")
        XCTAssertEqual(config.pos.syncURL, "http://127.0.0.1:9/pos")
        XCTAssertEqual(GatewayConfig().pos.defaultCountryCode, "60")
        XCTAssertEqual(GatewayConfig().pos.defaultTimeZone, "Asia/Kuala_Lumpur")

        func key(_ json: String, env: [String: String] = [:]) -> String? {
            guard case .invalidValue(let key, _)? = ConfigFixture.error(json, env: env) else { return nil }
            return key
        }
        XCTAssertEqual(key(#"{"pos": {"default_country_code": "+60"}}"#), "pos.default_country_code")
        XCTAssertEqual(key("{}", env: ["POS_DEFAULT_COUNTRY_CODE": "060"]), "POS_DEFAULT_COUNTRY_CODE")
        XCTAssertEqual(key(#"{"pos": {"default_time_zone": "Kuala Lumpur"}}"#), "pos.default_time_zone")
        XCTAssertEqual(key(#"{"pos": {"sync_time": "2am"}}"#), "pos.sync_time")
        XCTAssertEqual(key("{}", env: ["POS_SYNC_TIME": "24:00"]), "POS_SYNC_TIME")
        XCTAssertEqual(key(#"{"pos": {"sync_url": "ftp://pos"}}"#), "pos.sync_url")
        XCTAssertEqual(key(#"{"pos": {"sync_max_attempts": 0}}"#), "pos.sync_max_attempts")
        XCTAssertEqual(ConfigFixture.error(#"{"pos": {"country": "60"}}"#), .unknownKey("pos.country"))
    }

    func testPOSImportCommandPrintsCountsAndRefusesABadFileWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pos-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["GATEWAY_DB": directory.appendingPathComponent("gateway.sqlite").path]
        let good = directory.appendingPathComponent("outlets.csv")
        try Data(POSImportTests.good.utf8).write(to: good)

        let (code, out, _) = try GatewayProcess.run(["pos", "import", good.path], environment: environment)
        XCTAssertEqual(code, 0)
        XCTAssertTrue(out.contains("3 inserted, 0 updated, 0 unchanged"), out)
        let (again, repeated, _) = try GatewayProcess.run(["pos", "import", good.path], environment: environment)
        XCTAssertEqual(again, 0)
        XCTAssertTrue(repeated.contains("0 inserted, 0 updated, 3 unchanged"), repeated)

        let bad = directory.appendingPathComponent("export.txt")
        try Data("fid,oid,name,status\nF1,O9,x,active\n".utf8).write(to: bad)
        let (refused, _, stderr) = try GatewayProcess.run(["pos", "import", bad.path, "--format", "csv"],
                                                          environment: environment)
        XCTAssertEqual(refused, 1)
        XCTAssertTrue(stderr.contains("line 1: missing column 'expiry_date'"), stderr)
        XCTAssertTrue(stderr.contains("nothing was changed"), stderr)
        let (usage, _, _) = try GatewayProcess.run(["pos", "import", bad.path], environment: environment)
        XCTAssertEqual(usage, 64, ".txt says neither csv nor json")
        let (noSync, _, syncError) = try GatewayProcess.run(["pos", "sync"], environment: environment)
        XCTAssertEqual(noSync, 78)
        XCTAssertTrue(syncError.contains("pos.sync_url"), syncError)
        XCTAssertEqual(try DatabaseInspector.rows(path: environment["GATEWAY_DB"]!,
                                                  sql: "SELECT count(*) AS n FROM outlets").first?["n"], "3")

        let pos = try StubSink { _, _ in .status(200, body: POSSyncTests.snapshot) }
        let (synced, pulled, _) = try GatewayProcess.run(["pos", "sync"], environment: environment.merging(
            ["POS_SYNC_URL": pos.url + "/snapshot"]) { $1 })
        XCTAssertEqual(synced, 0)
        XCTAssertTrue(pulled.contains("0 inserted, 2 updated, 0 unchanged"), pulled)
    }
}
