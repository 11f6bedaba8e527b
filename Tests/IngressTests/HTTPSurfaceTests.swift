import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import Storage
import XCTest

/// Black-box: the parts of the HTTP surface every endpoint shares.
final class HTTPSurfaceTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws { gateway = try TestGateway { $0.server.maxBodyBytes = 16 * 1024 } }
    override func tearDown() { gateway = nil }

    func testHealthAndReadiness() throws {
        let health = try gateway.request("GET", "/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.json?["status"], "ok")
        let ready = try gateway.request("GET", "/readyz")
        XCTAssertEqual(ready.status, 200)
        XCTAssertEqual(ready.json?["status"], "ready")
    }

    func testUnknownRouteIs404AndWrongMethodIs405() throws {
        let missing = try gateway.request("GET", "/nope")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.header(named: "Content-Type"), "application/problem+json")
        XCTAssertEqual(missing.json?["status"], 404)
        let wrongMethod = try gateway.request("DELETE", "/webhooks/whatsapp")
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.header(named: "Allow"), "GET, POST")
        XCTAssertEqual(try gateway.request("PUT", "/healthz").status, 405)
    }

    func testRequestIDIsEchoedOrGenerated() throws {
        XCTAssertEqual(try gateway.request("GET", "/healthz", headers: [("X-Request-Id", "abc-1")]).header(named: "X-Request-Id"), "abc-1")
        let generated = try gateway.request("GET", "/healthz").header(named: "X-Request-Id")
        XCTAssertEqual(generated?.count, 24)
        // A header with spaces could forge log fields: replaced.
        let unsafe = try gateway.request("GET", "/healthz", headers: [("X-Request-Id", "a b=c")]).header(named: "X-Request-Id")
        XCTAssertNotEqual(unsafe, "a b=c")
    }

    func testOversizedBodiesAre413AndNotStored() throws {
        let big = Array(repeating: UInt8(ascii: "a"), count: 16 * 1024 + 1)
        let response = try gateway.postWhatsApp(big)
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json")
        XCTAssertEqual(ClientResponseSummary(response).fields, ["body"])
        let bot = try gateway.postBot("/webhooks/chatbot", big, id: "big")
        XCTAssertEqual(bot.status, 413)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "0")
        // The server is still healthy afterwards.
        XCTAssertEqual(try gateway.request("GET", "/healthz").status, 200)
    }

    func testMetricsExposeRequestsLatencyInboxDepthAndWebhookOutcomes() throws {
        try gateway.postWhatsApp(Array(WhatsAppFixtures.mixedBatch.utf8))
        try gateway.postWhatsApp(Array("{}".utf8), signature: "sha256=00")
        gateway.waitForNormalization()
        let metrics = try gateway.request("GET", "/metrics")
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.header(named: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") ?? false)
        let text = metrics.text
        XCTAssertTrue(text.contains(#"gateway_http_requests_total{route="/webhooks/whatsapp",method="POST",status="200"} 1"#), text)
        XCTAssertTrue(text.contains(#"gateway_http_requests_total{route="/webhooks/whatsapp",method="POST",status="401"} 1"#), text)
        XCTAssertTrue(text.contains("# TYPE gateway_http_request_duration_seconds histogram"))
        XCTAssertTrue(text.contains(#"gateway_http_request_duration_seconds_bucket{route="/webhooks/whatsapp",le="+Inf"} 2"#), text)
        XCTAssertTrue(text.contains(#"gateway_webhooks_total{source="whatsapp",outcome="accepted"} 1"#))
        XCTAssertTrue(text.contains(#"gateway_webhooks_total{source="whatsapp",outcome="rejected_signature"} 1"#))
        XCTAssertTrue(text.contains("gateway_inbox_depth 0"), text)
        XCTAssertTrue(text.contains("gateway_inbox_log_write_queue_depth 0"), text)
        XCTAssertTrue(text.contains(#"gateway_inbox_items_total{source="whatsapp",outcome="stored"}"#))
    }

    func testFullDiskGives503WithoutAcknowledgementAndTheRetrySucceedsLater() throws {
        let store = try gateway.sqliteStore()
        // Cap the inbox log's file at its current size: the next append needing a page fails with SQLITE_FULL, like a
        // full disk. Free pages come first, or the insert would simply reuse them.
        try store.log.writer.perform { connection in
            try connection.execute("CREATE TABLE filler (b BLOB)")
            while try connection.queryOne("PRAGMA freelist_count")?.int("freelist_count") != 0 {
                try connection.run("INSERT INTO filler (b) VALUES (zeroblob(3000))")
            }
            try connection.execute("PRAGMA max_page_count = 1")
        }
        let body = Array(WhatsAppFixtures.mixedBatch.utf8)
        let response = try gateway.postWhatsApp(body)
        XCTAssertEqual(response.status, 503)
        XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json")
        XCTAssertEqual(response.json?["type"]?.stringValue, "/problems/store-unavailable")
        XCTAssertNotNil(response.header(named: "Retry-After"))
        XCTAssertEqual(try gateway.logRows("SELECT count(*) AS n FROM deliveries").first?["n"], "0")
        // Space comes back; Meta's retry of the same delivery is accepted.
        try store.log.writer.perform { connection in try connection.execute("PRAGMA max_page_count = 1073741823") }
        XCTAssertEqual(try gateway.postWhatsApp(body).status, 200)
        XCTAssertEqual(try gateway.logRows("SELECT count(*) AS n FROM deliveries").first?["n"], "1")
        gateway.waitForNormalization()
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "1")
    }

    /// The two paces fail apart: a read-only domain database stops commands applied in the request, while WhatsApp
    /// deliveries are still acknowledged into the inbox log (and wait there); a read-only inbox log refuses
    /// deliveries. Either makes the gateway not ready.
    func testReadOnlyStoreIsNotReadyAndRefusesWhatItCannotCommit() throws {
        let store = try gateway.sqliteStore()
        try store.writer.perform { connection in try connection.execute("PRAGMA query_only = 1") }
        let ready = try gateway.request("GET", "/readyz")
        XCTAssertEqual(ready.status, 503)
        XCTAssertEqual(ready.header(named: "Content-Type"), "application/problem+json")
        XCTAssertEqual(try gateway.postBot("/webhooks/agent", Array(#"{"type":"deal.deleted","data":{"id":1}}"#.utf8), id: "ro").status, 503)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "0")
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.mixedBatch.utf8)).status, 200)
        XCTAssertEqual(try gateway.logRows("SELECT count(*) AS n FROM deliveries").first?["n"], "1")
        XCTAssertEqual(try gateway.app.store.inboxDepth(), 1, "waits in the log until the database takes writes")

        try store.log.writer.perform { connection in try connection.execute("PRAGMA query_only = 1") }
        XCTAssertEqual(try gateway.request("GET", "/readyz").status, 503)
        let refused = Array(WhatsAppFixtures.mixedBatch.replacingOccurrences(of: "wamid", with: "wamid2").utf8)
        XCTAssertEqual(try gateway.postWhatsApp(refused).status, 503)
        XCTAssertEqual(try gateway.logRows("SELECT count(*) AS n FROM deliveries").first?["n"], "1")
    }

    func testConcurrentDeliveriesAreAllCommitted() throws {
        let count = 200
        let bodies = (0..<count).map { i in
            Array(#"{"object":"whatsapp_business_account","entry":[{"id":"w","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"1"},"messages":[{"from":"6012","id":"wamid.c\#(i)","timestamp":"1700000000","type":"text","text":{"body":"hi \#(i)"}}]}}]}]}"#.utf8)
        }
        let statuses = LockedArray<Int>()
        let gateway = self.gateway!
        DispatchQueue.concurrentPerform(iterations: count) { i in
            statuses.append((try? gateway.postWhatsApp(bodies[i]).status) ?? -1)
        }
        XCTAssertEqual(statuses.values.filter { $0 == 200 }.count, count)
        XCTAssertEqual(try gateway.logRows("SELECT count(*) AS n FROM deliveries").first?["n"], String(count))
        gateway.waitForNormalization()
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], String(count))
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox_items WHERE kind = 'message'").first?["n"], String(count))
    }
}
