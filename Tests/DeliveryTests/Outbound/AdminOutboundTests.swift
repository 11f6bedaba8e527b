import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPServer
import HTTPTesting
import Storage
import XCTest

/// Black-box: the admin REST surface of outbound delivery on a running gateway — auth, test events, the
/// dead-letter listing and replay, endpoint state and metrics.
final class AdminOutboundTests: XCTestCase {
    private var sink: StubSink!
    private var gateway: TestGateway!
    private let secret = WebhookSecret(key: Array("admin-outbound-secret-0123456789".utf8))

    override func setUpWithError() throws {
        sink = try StubSink()
        let url = sink.url
        let secret = self.secret
        gateway = try TestGateway { config in
            config.adminToken = TestGateway.adminToken
            config.outbound[url: .omnichannel] = url + "/events"
            config.outbound.signingSecret = secret.encoded
            config.outbound.pollIntervalMilliseconds = 50
            config.outbound.retryScheduleMilliseconds = [1_000]
        }
    }

    override func tearDown() {
        gateway = nil
        sink = nil
    }

    private func problemFields(_ response: ClientResponse) -> [String] { ClientResponseSummary(response).fields }

    func testAdminRoutesRefuseMissingAndWrongTokens() throws {
        let routes = [("GET", "/v1/dead-letters"), ("POST", "/v1/dead-letters/1/replay"), ("GET", "/v1/endpoints"),
                      ("POST", "/v1/endpoints/omnichannel/test-events"), ("POST", "/v1/endpoints/omnichannel/enable")]
        for (method, path) in routes {
            for token in [nil, "wrong-token", ""] {
                let response = try gateway.admin(method, path, body: #"{"count":1}"#, token: token)
                XCTAssertEqual(response.status, 401, "\(method) \(path) with \(token ?? "no token")")
                XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json")
                XCTAssertEqual(response.header(named: "WWW-Authenticate"), #"Bearer realm="gateway""#)
            }
            let basic = try gateway.request(method, path, headers: [("Authorization", "Basic \(TestGateway.adminToken)")])
            XCTAssertEqual(basic.status, 401)
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/dead-letters").status, 200)
        XCTAssertTrue(sink.received.isEmpty, "a refused test-events call must not enqueue")
    }

    func testAdminAPIIsClosedWithoutAConfiguredToken() throws {
        let closed = try TestGateway { $0.adminToken = nil }
        let response = try closed.admin("GET", "/v1/dead-letters", token: "anything")
        XCTAssertEqual(response.status, 401)
        XCTAssertTrue(response.json?["detail"]?.stringValue?.contains("ADMIN_TOKEN") ?? false)
    }

    func testTestEventsValidateTheirBodyNamingTheField() throws {
        let malformed = try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count":"#)
        XCTAssertEqual(malformed.status, 400)
        XCTAssertEqual(problemFields(malformed), ["body"])
        for body in ["{}", #"{"count":"5"}"#, #"{"count":0}"#, #"{"count":10001}"#, #"{"count":2.5}"#] {
            let response = try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json")
            XCTAssertEqual(problemFields(response), ["count"], body)
        }
        XCTAssertEqual(problemFields(try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: "[1]")),
                       ["body"])
        XCTAssertEqual(try gateway.admin("POST", "/v1/endpoints/nobody/test-events", body: #"{"count":1}"#).status, 404)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM outbox").first?["n"], "0")
    }

    func testTestEventsAreDeliveredSignedWithTheCallersTraceparent() throws {
        let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let response = try gateway.request("POST", "/v1/endpoints/omnichannel/test-events",
                                           headers: [("Authorization", "Bearer \(TestGateway.adminToken)"),
                                                     ("traceparent", traceparent)],
                                           body: Array(#"{"count":3}"#.utf8))
        XCTAssertEqual(response.status, 202)
        let batch = try XCTUnwrap(response.json?["batch_id"]?.stringValue)
        let received = sink.waitForRequests(3)
        XCTAssertEqual(Set(received.compactMap(\.webhookID)), ["\(batch).0", "\(batch).1", "\(batch).2"])
        let verifier = StandardWebhookVerifier(secrets: [secret])
        for request in received {
            XCTAssertEqual(request.path, "/events")
            XCTAssertEqual(request.headers["traceparent"], traceparent)
            XCTAssertNoThrow(try verifier.verify(id: request.webhookID, timestamp: request.headers["webhook-timestamp"],
                                                 signature: request.headers["webhook-signature"], body: request.body,
                                                 now: gateway.clock.now / 1000))
            XCTAssertEqual(request.headers["Authorization"], nil)
        }
    }

    func testDeadLettersAreListedFilteredPagedAndReplayedOnceTheTargetIsHealthy() throws {
        sink.setScript { _, _ in .status(422, body: "unknown deal") }
        let created = try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count":3}"#)
        let batch = try XCTUnwrap(created.json?["batch_id"]?.stringValue)
        eventually("three dead letters") { try self.gateway.rows("SELECT count(*) AS n FROM dead_letters").first?["n"] == "3" }

        let all = try gateway.admin("GET", "/v1/dead-letters")
        XCTAssertEqual(all.status, 200)
        let items = try XCTUnwrap(all.json?["items"]?.arrayValue)
        XCTAssertEqual(items.count, 3)
        let newest = items[0]
        XCTAssertEqual(newest["endpoint"], "omnichannel")
        XCTAssertEqual(newest["reason"], "permanent")
        XCTAssertEqual(newest["error_class"], "http_4xx")
        XCTAssertEqual(newest["last_status"], 422)
        XCTAssertEqual(newest["response_snippet"], "unknown deal")
        XCTAssertEqual(newest["attempts"], 1)
        XCTAssertEqual(newest["history"]?.arrayValue?.count, 1)
        XCTAssertTrue(newest["idempotency_key"]?.stringValue?.hasPrefix(batch) ?? false)
        XCTAssertEqual(all.json?["next_cursor"], .null)

        let page1 = try gateway.admin("GET", "/v1/dead-letters?limit=2")
        XCTAssertEqual(page1.json?["items"]?.arrayValue?.count, 2)
        let cursor = try XCTUnwrap(page1.json?["next_cursor"]?.stringValue)
        let page2 = try gateway.admin("GET", "/v1/dead-letters?limit=2&cursor=\(cursor)")
        XCTAssertEqual(page2.json?["items"]?.arrayValue?.count, 1)
        XCTAssertEqual(page2.json?["next_cursor"], .null)
        XCTAssertEqual(try gateway.admin("GET", "/v1/dead-letters?endpoint=whatsapp").json?["items"]?.arrayValue?.count, 0)
        XCTAssertEqual(try gateway.admin("GET", "/v1/dead-letters?since=1h").json?["items"]?.arrayValue?.count, 3)
        XCTAssertEqual(try gateway.admin("GET", "/v1/dead-letters?since=2001-01-01T00:00:00Z").json?["items"]?.arrayValue?.count, 3)

        let bad = try gateway.admin("GET", "/v1/dead-letters?limit=abc&since=yesterday&cursor=-1&endpoint=No%20Such")
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(Set(problemFields(bad)), ["limit", "since", "cursor", "endpoint"])

        // The target is fixed: a replay goes out again under the same idempotency key and is delivered.
        sink.setScript { _, _ in .status(200) }
        let id = try XCTUnwrap(newest["id"]?.int64Value)
        let replay = try gateway.admin("POST", "/v1/dead-letters/\(id)/replay")
        XCTAssertEqual(replay.status, 200)
        XCTAssertEqual(replay.json?["status"], "requeued")
        let key = try XCTUnwrap(newest["idempotency_key"]?.stringValue)
        eventually("replayed delivery") {
            try self.gateway.rows("SELECT status FROM outbox WHERE idempotency_key = ?", [.text(key)]).first?["status"] == "delivered"
        }
        XCTAssertEqual(sink.received.filter { $0.webhookID == key }.count, 2)
        XCTAssertEqual(try gateway.admin("GET", "/v1/dead-letters").json?["items"]?.arrayValue?.count, 2)
        XCTAssertEqual(try gateway.admin("POST", "/v1/dead-letters/\(id)/replay").status, 404, "already replayed")
        XCTAssertEqual(problemFields(try gateway.admin("POST", "/v1/dead-letters/abc/replay")), ["id"])
    }

    func testGoneDisablesTheEndpointVisiblyUntilEnabled() throws {
        sink.setScript { _, _ in .status(410) }
        try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count":1}"#)
        eventually("endpoint disabled") {
            let items = try self.gateway.admin("GET", "/v1/endpoints").json?["items"]?.arrayValue ?? []
            return items.contains { $0["name"] == "omnichannel" && $0["disabled"] == true }
        }
        let disabled = try XCTUnwrap(try gateway.admin("GET", "/v1/endpoints").json?["items"]?.arrayValue?
            .first { $0["name"] == "omnichannel" })
        XCTAssertEqual(disabled["disabled_since"]?.stringValue, Timestamps.rfc3339(gateway.clock.now))
        XCTAssertEqual(disabled["disabled_status"], 410)
        // The dispatcher answers from memory at once and writes the state back in its next transaction.
        eventually("disabled state stored") {
            try self.gateway.rows("SELECT status FROM outbound_disabled_endpoints WHERE endpoint = 'omnichannel'")
                == [["status": "410"]]
        }
        let metrics = try gateway.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains(#"gateway_outbound_endpoint_disabled{endpoint="omnichannel"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"gateway_outbound_deliveries_total{endpoint="omnichannel",outcome="gone"} 1"#))
        XCTAssertEqual(try gateway.admin("POST", "/v1/endpoints/omnichannel/enable").status, 200)
        let enabled = try gateway.admin("GET", "/v1/endpoints").json?["items"]?.arrayValue?
            .first { $0["name"] == "omnichannel" }
        XCTAssertEqual(enabled?["disabled"], false, "enabled as soon as the answer came")
        XCTAssertEqual(enabled?["disabled_since"], .null)
        XCTAssertEqual(enabled?["disabled_status"], .null)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM outbound_disabled_endpoints").first?["n"], "0")
        XCTAssertEqual(try gateway.admin("POST", "/v1/endpoints/nobody/enable").status, 404)
    }

    func testMetricsShowDeliveriesLatencyDepthDeadLettersAndBreakers() throws {
        sink.setScript { index, _ in index == 0 ? .status(400) : .status(200) }
        try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count":1}"#)
        eventually("first dead-lettered") { try self.gateway.rows("SELECT count(*) AS n FROM dead_letters").first?["n"] == "1" }
        try gateway.admin("POST", "/v1/endpoints/omnichannel/test-events", body: #"{"count":2}"#)
        eventually("two delivered") {
            try self.gateway.rows("SELECT count(*) AS n FROM outbox WHERE status = 'delivered'").first?["n"] == "2"
        }
        let text = try gateway.request("GET", "/metrics").text
        for line in [#"gateway_outbound_deliveries_total{endpoint="omnichannel",outcome="delivered"} 2"#,
                     #"gateway_outbound_deliveries_total{endpoint="omnichannel",outcome="permanent"} 1"#,
                     #"gateway_outbound_attempts_total{endpoint="omnichannel",result="http_4xx"} 1"#,
                     #"gateway_outbound_attempt_duration_seconds_count{endpoint="omnichannel"} 3"#,
                     "gateway_outbox_depth 0", "gateway_outbox_oldest_age_seconds 0", "gateway_dead_letters 1",
                     #"gateway_outbound_breaker_state{endpoint="omnichannel"} 0"#,
                     #"gateway_outbound_in_flight{endpoint="whatsapp"} 0"#] {
            XCTAssertTrue(text.contains(line), "missing \(line) in\n\(text)")
        }
    }
}
