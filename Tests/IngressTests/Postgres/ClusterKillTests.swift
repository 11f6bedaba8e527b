import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Storage
import XCTest

/// Two real `gateway serve` processes on one PostgreSQL database under load, the leader `kill -9`-ed mid-run: every
/// acknowledged webhook is applied exactly once (by whichever instance leads, the survivor after the kill), every
/// outbox event is delivered at least once under its own `webhook-id`, and the daily retention sweep ran once.
final class ClusterKillTests: XCTestCase {
    func testKillingOneOfTwoInstancesLosesNothingAndAppliesNothingTwice() throws {
        let url = try PostgresCluster.shared().createDatabase("kill_" + UUID().uuidString.prefix(8).lowercased())
        let sink = try StubSink()
        defer { sink.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A short lease: the killed instance's claimed events come back to the survivor within seconds.
        let config = directory.appendingPathComponent("gateway.json")
        try Data(#"{"outbound": {"lease": "3s", "total_timeout": "2s", "connect_timeout": "1s", "poll_interval": "100ms"}}"#.utf8).write(to: config)
        let environment = [
            "GATEWAY_PORT": "0", "GATEWAY_STORE_DRIVER": "postgres", "GATEWAY_DATABASE_URL": url,
            "WHATSAPP_APP_SECRET": TestGateway.appSecret, "OMNICHANNEL_EVENTS_URL": sink.url + "/events",
            "ADMIN_TOKEN": TestGateway.adminToken,
            // Media beside the test's own files, not beside the default SQLite path under the working directory.
            "MEDIA_DIRECTORY": directory.appendingPathComponent("media").path,
        ]
        let (migrated, _, migrateErrors) = try GatewayProcess.run(["migrate"], environment: environment)
        XCTAssertEqual(migrated, 0, migrateErrors)
        let first = try GatewayProcess(arguments: ["serve", "--config", config.path], environment: environment)
        let firstPort = try XCTUnwrap(first.waitForPort(), first.stderr)
        let second = try GatewayProcess(arguments: ["serve", "--config", config.path], environment: environment)
        let secondPort = try XCTUnwrap(second.waitForPort(), second.stderr)

        let client = CurlMultiClient()
        defer { client.shutdown() }
        for port in [firstPort, secondPort] {
            let response = try client.perform(ClientRequest(
                method: "POST", url: "http://127.0.0.1:\(port)/v1/endpoints/omnichannel/test-events",
                headers: [("Authorization", "Bearer \(TestGateway.adminToken)"), ("Content-Type", "application/json")],
                body: Array(#"{"count": 150}"#.utf8))).get()
            XCTAssertEqual(response.status, 202, response.text)
        }
        // The instance that leads is the one killed: the other must take the inbound side and the jobs over.
        func leads(_ port: UInt16) throws -> Bool {
            let metrics = try client.perform(ClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/metrics")).get()
            return metrics.text.contains("\ngateway_cluster_leader 1")
        }
        eventually("one instance leads") { try leads(firstPort) != leads(secondPort) }
        let (victim, survivor) = try leads(firstPort) ? (first, second) : (second, first)
        let acknowledged = LockedArray<String>()
        let load = WebhookLoad(ports: [firstPort, secondPort], client: client, acknowledged: acknowledged)
        load.start(concurrency: 16)
        let deadline = Date().addingTimeInterval(30)
        while acknowledged.values.count < 200 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        victim.signal(SIGKILL)
        XCTAssertNotNil(victim.waitForExit())
        Thread.sleep(forTimeInterval: 0.5)  // the survivor keeps taking webhooks after the kill
        load.stop()
        XCTAssertGreaterThanOrEqual(acknowledged.values.count, 200, "too little was acknowledged before the kill")

        let database = try PostgresDatabase(url, poolSize: 1)
        defer { database.close() }
        func count(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int {
            try database.read { try $0.queryOne(sql, parameters)?.int("n") ?? -1 }
        }
        // The survivor leads now and applies everything that was acknowledged; the outbox empties.
        eventually("every delivery normalized and every event delivered", timeout: 60) {
            // Nothing logged after the cursor, in the log's reading order (writing transaction, id).
            let unread = try count("""
                SELECT count(*) AS n FROM deliveries WHERE (txid, id) > (
                    SELECT CAST(coalesce(max(value) FILTER (WHERE key = 'inbox_log_cursor_txid'), '0') AS xid8),
                           CAST(coalesce(max(value) FILTER (WHERE key = 'inbox_log_cursor'), '0') AS BIGINT)
                    FROM gateway_meta)
                """)
            let pendingItems = try count("SELECT count(*) AS n FROM inbox_items WHERE status = 'pending'")
            let undelivered = try count("SELECT count(*) AS n FROM outbox WHERE status <> 'delivered'")
            return unread == 0 && pendingItems == 0 && undelivered == 0
        }
        let stored = try database.read { connection in
            try connection.query("SELECT dedupe_key FROM inbox_items WHERE kind = 'message'").compactMap {
                $0.string("dedupe_key")
            }
        }
        XCTAssertEqual(stored.count, Set(stored).count, "no message applied twice")
        let storedSet = Set(stored)
        for id in acknowledged.values {
            XCTAssertTrue(storedSet.contains("wa:msg:\(id)"), "acknowledged \(id) was lost")
        }
        let events = try database.read { connection in
            Set(try connection.query("SELECT idempotency_key FROM outbox WHERE endpoint = 'omnichannel'")
                .compactMap { $0.string("idempotency_key") })
        }
        XCTAssertGreaterThanOrEqual(events.count, 300)
        let heard = Set(sink.received.compactMap(\.webhookID))
        XCTAssertTrue(events.isSubset(of: heard), "\(events.subtracting(heard).count) events never delivered")
        XCTAssertEqual((first.stderr + second.stderr).components(separatedBy: "event=retention_purged").count - 1, 1,
                       "the day's retention sweep ran once across the two instances")
        survivor.signal(SIGTERM)
        XCTAssertEqual(survivor.waitForExit(), 0)
    }
}
