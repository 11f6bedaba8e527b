import Foundation
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import WhatsAppAdapter
import XCTest

/// The real `gateway` binary: command line, configuration errors, graceful SIGTERM and kill -9 durability.
final class GatewayProcessTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private var environment: [String: String] {
        ["GATEWAY_PORT": "0", "GATEWAY_DB": directory.appendingPathComponent("g.sqlite").path,
         "WHATSAPP_APP_SECRET": TestGateway.appSecret]
    }

    func testHelpAndUnknownCommand() throws {
        let (code, out, _) = try GatewayProcess.run(["--help"])
        XCTAssertEqual(code, 0)
        XCTAssertTrue(out.contains("usage: gateway"))
        XCTAssertTrue(out.contains("serve") && out.contains("migrate"))
        let (badCode, _, err) = try GatewayProcess.run(["frobnicate"])
        XCTAssertEqual(badCode, 64)
        XCTAssertTrue(err.contains("unknown command 'frobnicate'"))
    }

    func testBadConfigurationStopsStartUpNamingTheKey() throws {
        let file = directory.appendingPathComponent("bad.json")
        try Data(#"{"server":{"prot":8080}}"#.utf8).write(to: file)
        let (code, _, err) = try GatewayProcess.run(["serve", "--config", file.path], environment: environment)
        XCTAssertEqual(code, 78)
        XCTAssertTrue(err.contains("unknown config key 'server.prot'"), err)

        let (envCode, _, envErr) = try GatewayProcess.run(["serve"], environment: ["GATEWAY_PORT": "http"])
        XCTAssertEqual(envCode, 78)
        XCTAssertTrue(envErr.contains("GATEWAY_PORT"), envErr)

        for (key, env) in [("CRM_RECORD_URL_BASE", "crm.example.com/crm"), ("OMNICHANNEL_ROOM_URL_BASE", "ftp://x")] {
            let (linkCode, _, linkErr) = try GatewayProcess.run(["serve"], environment: environment.merging([key: env]) { $1 })
            XCTAssertEqual(linkCode, 78, key)
            XCTAssertTrue(linkErr.contains("'\(key)': must be an http(s) URL"), linkErr)
        }
    }

    func testMigrateIsIdempotent() throws {
        let (first, out, _) = try GatewayProcess.run(["migrate"], environment: environment)
        XCTAssertEqual(first, 0)
        XCTAssertTrue(out.contains("applied migrations: 1, 2"), out)
        let (second, again, _) = try GatewayProcess.run(["migrate"], environment: environment)
        XCTAssertEqual(second, 0)
        XCTAssertTrue(again.contains("up to date"), again)
    }

    func testServeLogsNoSecretsAndStopsGracefullyOnSIGTERM() throws {
        let child = try GatewayProcess(arguments: ["serve"], environment: environment)
        let port = try XCTUnwrap(child.waitForPort(), child.stderr)
        let client = CurlMultiClient()
        defer { client.shutdown() }
        let health = client.perform(ClientRequest(url: "http://127.0.0.1:\(port)/healthz"))
        XCTAssertEqual(try health.get().status, 200)
        child.signal(SIGTERM)
        XCTAssertEqual(child.waitForExit(), 0)
        XCTAssertTrue(child.stderr.contains("event=gateway_stopped"), child.stderr)
        XCTAssertFalse(child.stderr.contains(TestGateway.appSecret))
        XCTAssertTrue(child.stderr.contains("whatsapp_app_secret=set"))
    }

    /// kill -9 while deliveries are in flight: every acknowledged delivery is in the store after restart, and
    /// normalization after restart applies each item exactly once.
    func testKillNineLosesNoAcknowledgedDelivery() throws {
        let child = try GatewayProcess(arguments: ["serve"], environment: environment)
        let port = try XCTUnwrap(child.waitForPort(), child.stderr)
        let client = CurlMultiClient()
        defer { client.shutdown() }
        let acknowledged = LockedArray<String>()
        let sender = WebhookLoad(ports: [port], client: client, acknowledged: acknowledged)
        sender.start(concurrency: 32)
        // Kill once a good number of deliveries have been acknowledged, while more are in flight.
        let ackDeadline = Date().addingTimeInterval(20)
        while acknowledged.values.count < 150 && Date() < ackDeadline { Thread.sleep(forTimeInterval: 0.005) }
        child.signal(SIGKILL)
        XCTAssertNotNil(child.waitForExit())
        sender.stop()
        XCTAssertGreaterThanOrEqual(acknowledged.values.count, 150, "too little was acknowledged before the kill")

        // Restart on the same database and let the normalizer finish.
        let restarted = try GatewayProcess(arguments: ["serve"], environment: environment)
        XCTAssertNotNil(restarted.waitForPort(), restarted.stderr)
        let dbPath = directory.appendingPathComponent("g.sqlite").path
        let logPath = directory.appendingPathComponent("g.inbox.sqlite").path
        // Normalized: the cursor in the database has reached the last delivery of the inbox log.
        func caughtUp() throws -> Bool {
            let logged = try DatabaseInspector.rows(path: logPath, sql: "SELECT coalesce(max(id), 0) AS n FROM deliveries")
            let cursor = try DatabaseInspector.rows(
                path: dbPath, sql: "SELECT coalesce(max(value), '0') AS n FROM gateway_meta WHERE key = 'inbox_log_cursor'")
            return logged.first?["n"] == cursor.first?["n"]
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try? caughtUp()) != true {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(try caughtUp(), "the normalizer caught up with the inbox log")
        restarted.signal(SIGTERM)
        XCTAssertEqual(restarted.waitForExit(), 0)

        let stored = Set(try DatabaseInspector.rows(path: dbPath, sql: "SELECT dedupe_key FROM inbox_items WHERE kind = 'message'")
            .compactMap { $0["dedupe_key"] })
        for id in acknowledged.values {
            XCTAssertTrue(stored.contains("wa:msg:\(id)"), "acknowledged \(id) was lost")
        }
        let duplicates = try DatabaseInspector.rows(path: dbPath, sql: "SELECT dedupe_key FROM inbox_items WHERE kind = 'message' GROUP BY dedupe_key HAVING count(*) > 1")
        XCTAssertTrue(duplicates.isEmpty)
        // Applied exactly once: each acknowledged message's item went through the inbound steps (recorded and applied
        // in one transaction with the cursor's move), and the ticket's history holds it once.
        let applied = Set(try DatabaseInspector.rows(
            path: dbPath, sql: "SELECT dedupe_key FROM inbox_items WHERE kind = 'message' AND status = 'applied'")
            .compactMap { $0["dedupe_key"] })
        var filed: [String: Int] = [:]
        for row in try DatabaseInspector.rows(path: dbPath, sql: """
            SELECT wa_message_id, count(*) AS n FROM ticket_messages WHERE direction = 'in' GROUP BY wa_message_id
            """) {
            filed[row["wa_message_id"] ?? ""] = Int(row["n"] ?? "")
        }
        for id in acknowledged.values {
            XCTAssertTrue(applied.contains("wa:msg:\(id)"), "acknowledged \(id) was not applied")
            XCTAssertEqual(filed[id], 1, "acknowledged \(id) is in the ticket's history once")
        }
    }
}
