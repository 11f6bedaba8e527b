import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Storage
import XCTest

/// The real `gateway` binary delivering to a local sink: restarts (graceful and kill -9) lose no outbound call, an
/// endpoint a 410 disabled stays disabled across them, and the `dlq` commands work on its database.
final class OutboundProcessTests: XCTestCase {
    private var directory: URL!
    private var sink: StubSink!
    private let client = CurlMultiClient()
    private let adminToken = "process-admin-token"

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-outproc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        sink = try StubSink(threads: 4)
    }

    override func tearDown() {
        client.shutdown()
        sink = nil
        try? FileManager.default.removeItem(at: directory)
    }

    private var databasePath: String { directory.appendingPathComponent("g.sqlite").path }

    /// Short timeouts, lease and poll so recovery happens within seconds; everything else is the default.
    private func startGateway() throws -> (GatewayProcess, UInt16) {
        let file = directory.appendingPathComponent("outbound.json")
        try Data(#"{"outbound": {"total_timeout": "2s", "lease": "3s", "poll_interval": "100ms", "retry_schedule": ["1s"]}}"#
            .utf8).write(to: file)
        let child = try GatewayProcess(arguments: ["serve", "--config", file.path], environment: [
            "GATEWAY_PORT": "0", "GATEWAY_DB": databasePath, "ADMIN_TOKEN": adminToken,
            "OMNICHANNEL_EVENTS_URL": sink.url + "/events",
        ])
        let port = try XCTUnwrap(child.waitForPort(), child.stderr)
        return (child, port)
    }

    private func admin(_ method: String, _ path: String, port: UInt16, body: String = "") throws -> ClientResponse {
        try client.perform(ClientRequest(method: method, url: "http://127.0.0.1:\(port)\(path)",
                                         headers: [("Authorization", "Bearer \(adminToken)")],
                                         body: Array(body.utf8))).get()
    }

    private func sendTestEvents(_ count: Int, port: UInt16) throws -> String {
        let response = try admin("POST", "/v1/endpoints/omnichannel/test-events", port: port,
                                 body: #"{"count":\#(count)}"#)
        XCTAssertEqual(response.status, 202, response.text)
        return try XCTUnwrap(response.json?["batch_id"]?.stringValue)
    }

    private func omnichannelState(port: UInt16) throws -> JSONValue {
        let items = try admin("GET", "/v1/endpoints", port: port).json?["items"]?.arrayValue ?? []
        return try XCTUnwrap(items.first { $0["name"] == "omnichannel" })
    }

    private func count(_ sql: String) -> String? {
        try? DatabaseInspector.rows(path: databasePath, sql: sql).first?["n"]
    }

    /// SIGKILL while 1,000 events are being delivered: after a restart every one of them reaches the sink (some
    /// perhaps twice, with the same webhook-id), none is missing, and the outbox ends with all 1,000 delivered.
    func testKillNineWhileDeliveringLosesNoEvent() throws {
        sink.setScript { _, _ in .delayed(0.02) }   // keep requests in flight when the kill lands
        let (first, port) = try startGateway()
        let batch = try sendTestEvents(1_000, port: port)
        sink.waitForRequests(200, timeout: 30)
        first.signal(SIGKILL)
        XCTAssertNotNil(first.waitForExit())
        let beforeRestart = Set(sink.received.compactMap(\.webhookID))
        XCTAssertLessThan(beforeRestart.count, 1_000, "everything was delivered before the kill: nothing was tested")

        let (second, _) = try startGateway()
        let expected = Set((0..<1_000).map { "\(batch).\($0)" })
        eventually("every event reached the sink", timeout: 60) {
            expected.isSubset(of: Set(sink.received.compactMap(\.webhookID)))
        }
        eventually("the outbox records all 1,000 as delivered", timeout: 30) {
            count("SELECT count(*) AS n FROM outbox WHERE status = 'delivered'") == "1000"
        }
        second.signal(SIGTERM)
        XCTAssertEqual(second.waitForExit(), 0)

        let received = sink.received.compactMap(\.webhookID)
        XCTAssertTrue(Set(received).isSubset(of: expected), "the sink got events nobody sent")
        let missing = expected.subtracting(received)
        XCTAssertTrue(missing.isEmpty, "\(missing.count) events missing, e.g. \(missing.sorted().prefix(5))")
        XCTAssertEqual(count("SELECT count(*) AS n FROM dead_letters"), "0")
        print("kill -9 test: \(received.count) requests for 1000 events (\(received.count - 1_000) redelivered)")
    }

    /// A delivery waiting for its retry survives a graceful restart and is delivered by the new process.
    func testRestartMidBackoffResumesDelivery() throws {
        // Retry-After pins the backoff (the schedule's full jitter could retry within milliseconds, before the
        // restart), so the retry is certainly left to the second process.
        sink.setScript { index, _ in index == 0 ? .status(503, headers: [("Retry-After", "3")]) : .status(200) }
        let (first, port) = try startGateway()
        let batch = try sendTestEvents(1, port: port)
        eventually("first attempt failed and a retry is scheduled") {
            count("SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND attempts = 1") == "1"
        }
        first.signal(SIGTERM)
        XCTAssertEqual(first.waitForExit(), 0)

        let (second, _) = try startGateway()
        eventually("delivered after the restart") {
            count("SELECT count(*) AS n FROM outbox WHERE status = 'delivered' AND attempts = 2") == "1"
        }
        second.signal(SIGTERM)
        XCTAssertEqual(second.waitForExit(), 0)
        XCTAssertEqual(sink.received.compactMap(\.webhookID), ["\(batch).0", "\(batch).0"])
    }

    /// A 410 disables the endpoint until an operator re-enables it: after kill -9 and a restart it is still disabled,
    /// the calls queued behind it wait (neither sent nor lost), and `POST /v1/endpoints/{name}/enable` delivers them.
    func testEndpointDisabledByGoneStaysDisabledAcrossARestartUntilEnabled() throws {
        sink.setScript { index, _ in index == 0 ? .status(410, body: "unsubscribed") : .status(200) }
        let (first, port) = try startGateway()
        _ = try sendTestEvents(1, port: port)
        eventually("the 410 is dead-lettered") {
            count("SELECT count(*) AS n FROM dead_letters WHERE reason = 'gone'") == "1"
        }
        eventually("shown disabled") { try self.omnichannelState(port: port)["disabled"] == true }
        let batch = try sendTestEvents(3, port: port)
        first.signal(SIGKILL)
        XCTAssertNotNil(first.waitForExit())

        let (second, restartedPort) = try startGateway()
        let state = try omnichannelState(port: restartedPort)
        XCTAssertEqual(state["disabled"], true, "\(state)")
        XCTAssertEqual(state["disabled_status"], 410)
        XCTAssertEqual(state["disabled_since"]?.stringValue?.hasSuffix("Z"), true, "an RFC 3339 time: \(state)")
        Thread.sleep(forTimeInterval: 0.5)   // several poll intervals of the new process
        XCTAssertEqual(sink.received.count, 1, "a disabled endpoint was called after the restart")
        XCTAssertEqual(count("SELECT count(*) AS n FROM outbox WHERE status = 'pending'"), "3",
                       "the calls queued behind the 410 wait")

        let enabled = try admin("POST", "/v1/endpoints/omnichannel/enable", port: restartedPort)
        XCTAssertEqual(enabled.status, 200, enabled.text)
        XCTAssertEqual(count("SELECT count(*) AS n FROM outbound_disabled_endpoints"), "0",
                       "answered once the stored state is cleared")
        let expected = Set((0..<3).map { "\(batch).\($0)" })
        eventually("the queued calls are delivered once enabled") {
            expected.isSubset(of: Set(sink.received.compactMap(\.webhookID)))
        }
        let after = try omnichannelState(port: restartedPort)
        XCTAssertEqual(after["disabled"], false, "\(after)")
        XCTAssertEqual(after["disabled_since"], .null)
        XCTAssertEqual(after["disabled_status"], .null)
        second.signal(SIGTERM)
        XCTAssertEqual(second.waitForExit(), 0)
    }

    func testDeadLetterCommandsListReplayAndPurge() throws {
        let (code, _, _) = try GatewayProcess.run(["migrate"], environment: ["GATEWAY_DB": databasePath])
        XCTAssertEqual(code, 0)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let connection = try SQLiteConnection(path: databasePath)
        for (key, endpoint, ageDays) in [("dl-new", "omnichannel", 0), ("dl-old", "omnichannel", 2), ("dl-ancient", "whatsapp", 10)] {
            try connection.run("""
                INSERT INTO dead_letters (endpoint, method, path, headers, body, idempotency_key, created_at, dead_at,
                                          attempts, reason, error_class, last_status, last_error, history)
                VALUES (?, 'POST', '/events', '', x'7b7d', ?, ?, ?, 3, 'exhausted', 'http_5xx', 503, 'HTTP 503', '[]')
                """, [.text(endpoint), .text(key), .integer(now), .integer(now - Int64(ageDays) * 86_400_000)])
        }
        connection.close()
        let env = ["GATEWAY_DB": databasePath]
        func gateway(_ arguments: String...) throws -> (Int32, String, String) {
            try GatewayProcess.run(arguments, environment: env)
        }

        let (listCode, listed, _) = try gateway("dlq", "list")
        XCTAssertEqual(listCode, 0)
        XCTAssertEqual(listed.split(separator: "\n").count, 4, listed)
        XCTAssertTrue(listed.contains("dl-new") && listed.contains("exhausted") && listed.contains("HTTP 503"), listed)
        XCTAssertEqual(try gateway("dlq", "list", "--endpoint", "whatsapp").1.split(separator: "\n").count, 2)
        XCTAssertEqual(try gateway("dlq", "list", "--since=24h").1.split(separator: "\n").count, 2)
        XCTAssertEqual(try gateway("dlq", "list", "--since", "whenever").0, 64)

        let newID = try XCTUnwrap(try DatabaseInspector.rows(path: databasePath,
            sql: "SELECT id FROM dead_letters WHERE idempotency_key = 'dl-new'").first?["id"])
        let (replayCode, replayed, _) = try gateway("dlq", "replay", newID)
        XCTAssertEqual(replayCode, 0, replayed)
        let requeued = try XCTUnwrap(try DatabaseInspector.rows(path: databasePath,
            sql: "SELECT status, attempts, body FROM outbox WHERE idempotency_key = 'dl-new'").first)
        XCTAssertEqual(requeued["status"], "pending")
        XCTAssertEqual(requeued["attempts"], "0")
        XCTAssertEqual(requeued["body"], "{}")
        let (missingCode, _, missing) = try gateway("dlq", "replay", newID)
        XCTAssertEqual(missingCode, 1)
        XCTAssertTrue(missing.contains("no dead letter with id \(newID)"), missing)
        XCTAssertEqual(try gateway("dlq", "replay").0, 64)
        XCTAssertEqual(try gateway("dlq", "replay", "1", "--all").0, 64)

        let (allCode, all, _) = try gateway("dlq", "replay", "--all", "--endpoint", "omnichannel")
        XCTAssertEqual(allCode, 0)
        XCTAssertTrue(all.contains("replayed 1 dead letter"), all)
        let (purgeCode, purged, _) = try gateway("dlq", "purge", "--older-than", "7d")
        XCTAssertEqual(purgeCode, 0)
        XCTAssertTrue(purged.contains("purged 1 dead letter"), purged)
        XCTAssertEqual(try gateway("dlq", "list").1.trimmingCharacters(in: .whitespacesAndNewlines), "no dead letters")
        XCTAssertEqual(try gateway("dlq", "purge").0, 64)
        XCTAssertEqual(try gateway("dlq", "purge", "--older-than", "7d", "--endpoint", "x").0, 64)
        XCTAssertEqual(try gateway("dlq", "frobnicate").0, 64)
    }
}
