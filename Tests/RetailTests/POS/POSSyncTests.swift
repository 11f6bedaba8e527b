import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPServer
import HTTPTesting
import Ingress
import Retail
import XCTest

/// The daily POS pull against a stub POS on 127.0.0.1, with the gateway's clock moved by hand: it imports at start
/// and then once a day, retries failures with a delay, gives up after the configured attempts — and a failed or
/// malformed pull leaves the last good data in place.
final class POSSyncTests: XCTestCase {
    static let snapshot = #"""
        {"outlets": [
          {"fid": "F1", "franchise_name": "Kopi Co", "oid": "O1", "name": "Bangsar", "phones": ["012-3456789"],
           "expiry_date": "2026-12-31", "status": "active"},
          {"fid": "F1", "oid": "O2", "name": "KLCC", "expiry_date": "2026-06-30", "status": "active"}
        ]}
        """#
    static let renewedCSV = """
        fid,oid,name,expiry_date,status
        F1,O2,KLCC,2027-06-30,active

        """

    private func start(_ sink: StubSink) throws -> TestGateway {
        try TestGateway { config in
            config.pos.syncURL = sink.url + "/v1/snapshot"
            config.pos.syncToken = "pos-secret"
            config.pos.syncMaxAttempts = 3
            config.pos.syncRetryDelayMilliseconds = 1_000
        }
    }

    /// A gateway whose start-up pull took the stub's first answer, and the outlets that pull stored.
    private func startAfterFirstPull(_ sink: StubSink) throws -> (TestGateway, [[String: String]]) {
        let gateway = try start(sink)
        eventually("first pull") { counter(gateway, "gateway_pos_sync_runs_total", "success") == 1 }
        return (gateway, try gateway.rows("SELECT * FROM outlets ORDER BY oid"))
    }

    private func nextDay(_ gateway: TestGateway) {
        gateway.clock.advance(milliseconds: 86_400_000)
        gateway.app.posSync?.wake()
    }

    private func counter(_ gateway: TestGateway, _ name: String, _ outcome: String) -> Double {
        gateway.app.metrics.counter(name, [("outcome", outcome)])
    }

    func testThePullImportsAtStartThenOnceADay() throws {
        let sink = try StubSink { index, _ in
            index == 0 ? .status(200, headers: [("Content-Type", "application/json")], body: Self.snapshot)
                : .status(200, headers: [("Content-Type", "text/csv; charset=utf-8")], body: Self.renewedCSV)
        }
        let gateway = try start(sink)
        eventually("first pull") { counter(gateway, "gateway_pos_sync_runs_total", "success") == 1 }
        XCTAssertEqual(try gateway.rows("SELECT oid, updated_via FROM outlets ORDER BY oid"),
                       [["oid": "O1", "updated_via": "pull"], ["oid": "O2", "updated_via": "pull"]])
        let request = try XCTUnwrap(sink.received.first)
        XCTAssertEqual(request.path, "/v1/snapshot")
        XCTAssertEqual(request.headers["Authorization"], "Bearer pos-secret")

        nextDay(gateway)
        eventually("second day's pull") { counter(gateway, "gateway_pos_sync_runs_total", "success") == 2 }
        XCTAssertEqual(try gateway.rows("SELECT expiry_date FROM outlets WHERE oid = 'O2'").first?["expiry_date"],
                       "2027-06-30")
        XCTAssertEqual(sink.received.count, 2, "one pull a day")
        let metrics = try gateway.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains("gateway_pos_sync_last_success_timestamp_seconds \(gateway.clock.now / 1000)"),
                      metrics)
    }

    func testAFailingPullIsRetriedThenGivenUpKeepingTheLastGoodData() throws {
        let sink = try StubSink { index, _ in index == 0 ? .status(200, body: Self.snapshot) : .status(503) }
        let (gateway, before) = try startAfterFirstPull(sink)
        nextDay(gateway)
        eventually("attempt 1") { counter(gateway, "gateway_pos_sync_attempts_total", "http_5xx") == 1 }
        for (attempt, delay) in [(2, 1_000), (3, 2_000)] {
            gateway.clock.advance(milliseconds: Int64(delay - 1))
            gateway.app.posSync?.wake()
            gateway.clock.advance(milliseconds: 1)
            gateway.app.posSync?.wake()
            eventually("attempt \(attempt)") {
                counter(gateway, "gateway_pos_sync_attempts_total", "http_5xx") == Double(attempt)
            }
        }
        eventually("given up") { counter(gateway, "gateway_pos_sync_runs_total", "failed") == 1 }
        XCTAssertEqual(sink.received.count, 4)
        XCTAssertEqual(try gateway.rows("SELECT * FROM outlets ORDER BY oid"), before)

        let metrics = try gateway.request("GET", "/metrics").text
        let rules = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/alerts/pos.rules.yml").path, encoding: .utf8)
        let named = Set(rules.matches(of: /gateway_[a-z_]+/).map { String($0.output) })
        XCTAssertEqual(named, ["gateway_pos_sync_runs_total", "gateway_pos_sync_attempts_total",
                               "gateway_pos_sync_last_success_timestamp_seconds"])
        for metric in named {
            XCTAssertTrue(metrics.contains("\n\(metric)"), "the alert rules name \(metric), which /metrics does not expose")
        }
    }

    func testAMalformedSnapshotIsNotRetriedAndChangesNothing() throws {
        let broken = Self.snapshot.replacingOccurrences(of: "2026-06-30", with: "2026-06-31")
            .replacingOccurrences(of: "\"Bangsar\"", with: "\"Bangsar 2\"")
        let sink = try StubSink { index, _ in .status(200, body: index == 0 ? Self.snapshot : broken) }
        let (gateway, before) = try startAfterFirstPull(sink)
        nextDay(gateway)
        eventually("given up at once") { counter(gateway, "gateway_pos_sync_runs_total", "failed") == 1 }
        XCTAssertEqual(counter(gateway, "gateway_pos_sync_attempts_total", "invalid_data"), 1)
        XCTAssertEqual(sink.received.count, 2)
        XCTAssertEqual(try gateway.rows("SELECT * FROM outlets ORDER BY oid"), before, "O1 was valid, but nothing applies")
    }
}
