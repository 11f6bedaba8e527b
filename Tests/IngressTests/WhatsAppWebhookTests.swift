import Configuration
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import WhatsAppAdapter
import XCTest

/// Black-box: the real server on 127.0.0.1, signed Meta payloads over HTTP, the database inspected afterwards.
final class WhatsAppWebhookTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws { gateway = try TestGateway() }
    override func tearDown() { gateway = nil }


    func testHandshakeEchoesChallengeOnlyForTheRightToken() throws {
        let ok = try gateway.request("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=\(TestGateway.verifyToken)&hub.challenge=1158201444")
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(ok.text, "1158201444")
        XCTAssertEqual(ok.header(named: "Content-Type"), "text/plain; charset=utf-8")

        let wrong = try gateway.request("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")
        XCTAssertEqual(wrong.status, 403)
        XCTAssertEqual(wrong.header(named: "Content-Type"), "application/problem+json")
        let badMode = try gateway.request("GET", "/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=\(TestGateway.verifyToken)&hub.challenge=1")
        XCTAssertEqual(badMode.status, 403)
        let noChallenge = try gateway.request("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=\(TestGateway.verifyToken)")
        XCTAssertEqual(noChallenge.status, 400)
        XCTAssertEqual(ClientResponseSummary(noChallenge).fields, ["hub.challenge"])
    }

    func testHandshakeRefusedWhenNoTokenConfigured() throws {
        let bare = try TestGateway { $0.whatsapp.verifyToken = nil }
        XCTAssertEqual(try bare.request("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1").status, 403)
    }

    func testSignedBatchIsCommittedThenNormalizedIntoItems() throws {
        let body = Array(WhatsAppFixtures.mixedBatch.utf8)
        let response = try gateway.postWhatsApp(body, extraHeaders: [("X-Request-Id", "req-123")])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header(named: "X-Request-Id"), "req-123")
        let inboxID = try XCTUnwrap(response.json?["inbox_id"]?.stringValue)

        // Acknowledged means committed: the delivery is in the inbox log, byte-for-byte.
        let logged = try gateway.logRows("SELECT public_id, source, body, request_id FROM deliveries")
        XCTAssertEqual(logged.count, 1)
        XCTAssertEqual(logged.first?["public_id"], inboxID)
        XCTAssertEqual(logged.first?["source"], "whatsapp")
        XCTAssertEqual(logged.first?["body"], WhatsAppFixtures.mixedBatch)
        XCTAssertEqual(logged.first?["request_id"], "req-123")

        // Normalized: its inbox row (the raw body stays in the log) and the items found in it.
        gateway.waitForNormalization()
        let stored = try gateway.rows("SELECT public_id, source, length(body) AS body, request_id FROM inbox")
        XCTAssertEqual(stored, [["public_id": inboxID, "source": "whatsapp", "body": "0", "request_id": "req-123"]])
        let items = try gateway.rows("SELECT kind, dedupe_key, status FROM inbox_items ORDER BY id")
        let kinds = Set(items.compactMap { $0["kind"] })
        XCTAssertTrue(kinds.isSuperset(of: ["message", "status", "contact"]), "kinds: \(kinds)")
        XCTAssertTrue(items.contains { $0["dedupe_key"]?.hasPrefix("wa:msg:") == true })
        XCTAssertEqual(try gateway.rows("SELECT status FROM inbox").first?["status"], "processed")
        XCTAssertTrue(kinds.contains("template_update"), "the batch's template status change")
        // A change for a field the gateway does not act on is counted, not refused.
        let later = #"""
            {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
              {"field": "business_capability_update", "value": {"max_daily_conversation_per_phone": 1000}}]}]}
            """#
        XCTAssertEqual(try gateway.postWhatsApp(Array(later.utf8)).status, 200)
        gateway.waitForNormalization()
        XCTAssertEqual(gateway.app.metrics.counter("gateway_whatsapp_unhandled_total",
                                                   [("field", "business_capability_update")]), 1)
    }

    func testBSUIDOnlyContactIsAccepted() throws {
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.bsuidOnly.utf8)).status, 200)
        gateway.waitForNormalization()
        let messages = try gateway.rows("SELECT payload FROM inbox_items WHERE kind = 'message'")
        XCTAssertEqual(messages.count, 1)
        let payload = try JSONParser.parse(Array(messages[0]["payload"]!.utf8))
        XCTAssertNotNil(payload.objectValue)
        XCTAssertTrue(messages[0]["payload"]!.contains("from_user_id") || messages[0]["payload"]!.contains("bsuid"))
    }

    func testNonASCIIBodyIsVerifiedOverRawBytesAndStoredVerbatim() throws {
        let body = Array(WhatsAppFixtures.nonASCII.utf8)
        XCTAssertTrue(body.contains { $0 >= 0x80 })
        XCTAssertEqual(try gateway.postWhatsApp(body).status, 200)
        XCTAssertEqual(try gateway.logRows("SELECT body FROM deliveries").first?["body"], WhatsAppFixtures.nonASCII)
        gateway.waitForNormalization()
        let payloads = try gateway.rows("SELECT payload FROM inbox_items WHERE kind = 'message'")
        XCTAssertTrue(payloads.contains { $0["payload"]!.contains("👍🏽") })
    }

    func testDuplicateDeliveryIsStoredOnceAndAnsweredTheSame() throws {
        let body = Array(WhatsAppFixtures.mixedBatch.utf8)
        let first = try gateway.postWhatsApp(body)
        let second = try gateway.postWhatsApp(body)
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(second.status, 200)
        XCTAssertEqual(first.body, second.body)
        XCTAssertEqual(try gateway.logRows("SELECT count(*) AS n FROM deliveries").first?["n"], "1")
        gateway.waitForNormalization()
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "1")
        XCTAssertEqual(gateway.app.metrics.counter("gateway_webhooks_total", [("source", "whatsapp"), ("outcome", "duplicate")]), 1)
    }

    func testSameMessageInADifferentDeliveryIsAppliedOnce() throws {
        // Meta may re-send a message inside a different batch: the item dedupe key catches it.
        let body = Array(WhatsAppFixtures.mixedBatch.utf8)
        XCTAssertEqual(try gateway.postWhatsApp(body).status, 200)
        gateway.waitForNormalization()
        let before = try gateway.rows("SELECT count(*) AS n FROM inbox_items WHERE dedupe_key IS NOT NULL").first?["n"]
        let rewrapped = Array((WhatsAppFixtures.mixedBatch + " ").utf8)  // different bytes, same items
        XCTAssertEqual(try gateway.postWhatsApp(rewrapped).status, 200)
        gateway.waitForNormalization()
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "2")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox_items WHERE dedupe_key IS NOT NULL").first?["n"], before)
    }

    func testPoisonItemIsMarkedFailedWithoutBlockingTheRest() throws {
        XCTAssertEqual(try gateway.postWhatsApp(Array(WhatsAppFixtures.poisonBatch.utf8)).status, 200)
        gateway.waitForNormalization()
        let failed = try gateway.rows("SELECT error, path FROM inbox_items WHERE status = 'failed'")
        XCTAssertGreaterThanOrEqual(failed.count, 1)
        XCTAssertFalse(failed[0]["error"]?.isEmpty ?? true)
        // The good items were recorded (consumers may already have applied them).
        XCTAssertGreaterThanOrEqual(Int(try gateway.rows("SELECT count(*) AS n FROM inbox_items WHERE status != 'failed'").first?["n"] ?? "0") ?? 0, 1)
    }

    func testSignatureFailuresAre401AndStoreNothing() throws {
        let body = Array(WhatsAppFixtures.mixedBatch.utf8)
        let missing = try gateway.request("POST", "/webhooks/whatsapp", body: body)
        XCTAssertEqual(missing.status, 401)
        XCTAssertEqual(missing.header(named: "Content-Type"), "application/problem+json")
        XCTAssertEqual(try gateway.postWhatsApp(body, signature: "sha256=" + String(repeating: "0", count: 64)).status, 401)
        XCTAssertEqual(try gateway.postWhatsApp(body, signature: "garbage").status, 401)
        let forged = MetaSignatureVerifier.sign(body: body, appSecret: "attacker")
        XCTAssertEqual(try gateway.postWhatsApp(body, signature: forged).status, 401)
        // Signed over other bytes (e.g. re-serialized JSON) is a mismatch too.
        let tampered = MetaSignatureVerifier.sign(body: body + [0x0A], appSecret: TestGateway.appSecret)
        XCTAssertEqual(try gateway.postWhatsApp(body, signature: tampered).status, 401)
        XCTAssertEqual(try gateway.logRows("SELECT count(*) AS n FROM deliveries").first?["n"], "0")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "0")
    }

    func testNoAppSecretConfiguredRejectsEveryPost() throws {
        let bare = try TestGateway { $0.whatsapp.appSecret = nil }
        let body = Array(WhatsAppFixtures.mixedBatch.utf8)
        XCTAssertEqual(try bare.postWhatsApp(body).status, 401)
    }

    func testMalformedBodiesAre400NamingTheField() throws {
        let cases: [(String, String, [String])] = [
            ("{\"object\":", "/problems/malformed-json", ["body"]),
            ("[1,2]", "/problems/validation-error", ["body"]),
            (#"{"object":"whatsapp_business_account"}"#, "/problems/validation-error", ["entry"]),
            (#"{"object":1,"entry":[]}"#, "/problems/validation-error", ["object"]),
            (#"{"object":"whatsapp_business_account","entry":[{"changes":"x"}]}"#, "/problems/validation-error",
             ["entry[0].changes"]),
        ]
        for (text, type, fields) in cases {
            let response = try gateway.postWhatsApp(Array(text.utf8))
            XCTAssertEqual(response.status, 400, text)
            XCTAssertEqual(response.json?["type"]?.stringValue, type, text)
            XCTAssertEqual(ClientResponseSummary(response).fields, fields, text)
        }
        let badUTF8: [UInt8] = Array(#"{"object":""#.utf8) + [0xC3, 0x28] + Array(#"","entry":[]}"#.utf8)
        let utf8Response = try gateway.postWhatsApp(badUTF8)
        XCTAssertEqual(utf8Response.status, 400)
        XCTAssertEqual(utf8Response.json?["type"]?.stringValue, "/problems/invalid-utf8")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "0")
    }
}
