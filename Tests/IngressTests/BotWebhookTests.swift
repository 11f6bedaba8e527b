import Configuration
import Delivery
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Black-box: Standard Webhooks–signed command envelopes to /webhooks/chatbot and /webhooks/agent.
final class BotWebhookTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws { gateway = try TestGateway() }
    override func tearDown() { gateway = nil }

    private let dealCreated = Array(#"{"type":"deal.created","data":{"name":"Kopi Corner POS upgrade","room_id":"room-1","contact_id":42,"creator_flag":"bot","source":"chatbot"}}"#.utf8)

    func testValidCreateIsAppliedAndAnswered201WithTheStoredRecord() throws {
        for path in ["/webhooks/chatbot", "/webhooks/agent"] {
            let response = try gateway.postBot(path, dealCreated, id: "msg_\(path.count)_1")
            XCTAssertEqual(response.status, 201, path)
            XCTAssertEqual(response.json?["name"]?.stringValue, "Kopi Corner POS upgrade")
            XCTAssertNotNil(response.json?["id"]?.int64Value)
            XCTAssertNotNil(response.json?["unique_id"]?.stringValue)
            XCTAssertEqual(response.json?["external_url"], .null, "no crm.record_url_base configured")
        }
        // The deliveries are in the inbox with their answers, already processed (applied in the request).
        let inbox = try gateway.rows("SELECT source, status, response_status FROM inbox ORDER BY id")
        XCTAssertEqual(inbox.compactMap { $0["source"] }, ["chatbot", "agent"])
        XCTAssertEqual(inbox.compactMap { $0["status"] }, ["processed", "processed"])
        XCTAssertEqual(inbox.compactMap { $0["response_status"] }, ["201", "201"])
        XCTAssertEqual(try gateway.rows("SELECT origin FROM deals ORDER BY id").compactMap { $0["origin"] },
                       ["chatbot", "agent"])
    }

    func testReplayedWebhookIDReturnsTheFirstResponseWithoutApplyingAgain() throws {
        let first = try gateway.postBot("/webhooks/chatbot", dealCreated, id: "msg_replay")
        let replay = try gateway.postBot("/webhooks/chatbot", dealCreated, id: "msg_replay")
        XCTAssertEqual(first.status, 201)
        XCTAssertEqual(replay.status, 201)
        XCTAssertEqual(first.body, replay.body)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "1")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM deals").first?["n"], "1")
        // The same id replayed to the other route (both accept the shared secret here) is answered once too.
        let other = try gateway.postBot("/webhooks/agent", dealCreated, id: "msg_replay")
        XCTAssertEqual(other.status, 201)
        XCTAssertEqual(other.body, first.body)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "1")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM deals").first?["n"], "1")
    }

    func testSignatureAndTimestampFailuresAre401() throws {
        let otherSecret = WebhookSecret(key: Array(repeating: 5, count: 32))
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", dealCreated, id: "m1", secret: otherSecret).status, 401)
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", dealCreated, id: "m2", timestamp: gateway.clock.seconds - 301).status, 401)
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", dealCreated, id: "m3", timestamp: gateway.clock.seconds + 301).status, 401)
        let unsigned = try gateway.request("POST", "/webhooks/agent", headers: [("webhook-id", "m4")], body: dealCreated)
        XCTAssertEqual(unsigned.status, 401)
        XCTAssertTrue(unsigned.json?["detail"]?.stringValue?.contains("webhook-") ?? false)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "0")
    }

    func testStaleReplayOfACapturedRequestIsRefused() throws {
        let timestamp = gateway.clock.seconds
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", dealCreated, id: "cap", timestamp: timestamp).status, 201)
        gateway.clock.advance(seconds: 600)
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", dealCreated, id: "cap", timestamp: timestamp).status, 401)
    }

    func testInvalidEnvelopesAre400WithFieldErrors() throws {
        let cases: [(String, [String])] = [
            (#"{"data":{}}"#, ["type"]),
            (#"{"type":"deal.exploded","data":{}}"#, ["type"]),
            (#"{"type":"deal.created"}"#, ["data"]),
            (#"{"type":"deal.created","data":[]}"#, ["data"]),
            (#"{"type":"deal.created","data":{"name":7,"size":"big","room_id":1}}"#, ["data.name", "data.room_id", "data.size"]),
            (#"{"type":"ticket.updated","data":{"name":"x"}}"#, ["data.id"]),
            (#"{"type":"ticket.deleted","data":{"id":""}}"#, ["data.id"]),
            ("\"just a string\"", ["body"]),
        ]
        for (index, (text, fields)) in cases.enumerated() {
            let response = try gateway.postBot("/webhooks/chatbot", Array(text.utf8), id: "bad-\(index)")
            XCTAssertEqual(response.status, 400, text)
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json")
            XCTAssertEqual(ClientResponseSummary(response).fields.sorted(), fields, text)
        }
        let malformed = try gateway.postBot("/webhooks/chatbot", Array("{\"type\":".utf8), id: "bad-json")
        XCTAssertEqual(malformed.status, 400)
        XCTAssertEqual(ClientResponseSummary(malformed).fields, ["body"])
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "0")
    }

    func testNoSecretsConfiguredRejectsEverything() throws {
        let bare = try TestGateway { $0.botWebhooks.secrets = [] }
        XCTAssertEqual(try bare.postBot("/webhooks/chatbot", dealCreated, id: "x").status, 401)
    }
}
