import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Bad input over both APIs: clear field-level errors, nothing half-written, no event for a
/// rejected command.
final class BadRecordInputTests: XCTestCase {
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws { fixture = try RecordsFixture() }
    override func tearDown() { fixture = nil }

    /// Nothing of any command is stored, and nothing is scheduled for Omnichannel or the Chat Panel.
    private func assertNothingWritten(file: StaticString = #filePath, line: UInt = #line) throws {
        for table in ["deals", "tickets", "room_previews", "timeline_entries", "outbox", "inbox", "api_idempotency"] {
            XCTAssertEqual(try gateway.count(table), 0, table, file: file, line: line)
        }
    }

    func testAMemberNamedTwiceIsRefusedNamingItOnEveryRoute() throws {
        let signed = try gateway.postBot("/webhooks/chatbot", Array(#"""
            {"type":"deal.deleted","type":"deal.created","data":{"name":"Twice"}}
            """#.utf8), id: UUID().uuidString)
        XCTAssertEqual(signed.status, 400, signed.text)
        XCTAssertEqual(ClientResponseSummary(signed).fields, ["type"])
        XCTAssertEqual(signed.json?["type"], "/problems/malformed-json")
        let rest = try gateway.admin("POST", "/v1/deals", body: #"{"name":"One","name":"Two"}"#)
        XCTAssertEqual(rest.status, 400, rest.text)
        XCTAssertEqual(ClientResponseSummary(rest).fields, ["name"])
        try assertNothingWritten()
    }

    func testWebhookValidationErrorsNameEveryField() throws {
        let long = String(repeating: "x", count: 256)
        let cases: [(String, String, [String])] = [
            ("deal.exploded", #"{"name":"x"}"#, ["type"]),
            ("deal.created", #"{"stage":"New"}"#, ["data.name"]),
            ("deal.created", #"{"name":null}"#, ["data.name"]),
            ("deal.created", #"{"name":""}"#, ["data.name"]),
            ("deal.created", #"{"name":"\#(long)"}"#, ["data.name"]),
            ("deal.created", #"{"name":"x","room_id":"\#(String(repeating: "r", count: 129))"}"#, ["data.room_id"]),
            ("deal.created", #"{"name":"x","size":-1,"pipeline":true,"owner":1.5}"#,
             ["data.owner", "data.pipeline", "data.size"]),
            ("deal.created", #"{"name":"x","id":5,"colour":"red","status":"open"}"#,
             ["data.colour", "data.id", "data.status"]),
            ("deal.created", #"{"name":"x","creator_flag":7,"contact_id":{},"source":""}"#,
             ["data.contact_id", "data.creator_flag", "data.source"]),
            ("deal.created", #"{"name":"x","room_id":"line\nbreak"}"#, ["data.room_id"]),
            ("deal.updated", #"{"name":"x"}"#, ["data.id"]),
            ("deal.updated", #"{"id":"abc"}"#, ["data.id"]),
            ("deal.updated", #"{"id":1,"name":null}"#, ["data.name"]),
            ("ticket.deleted", #"{"id":0}"#, ["data.id"]),
        ]
        for (type, data, fields) in cases {
            let response = try gateway.command(type, data)
            XCTAssertEqual(response.status, 400, "\(type) \(data)")
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json")
            XCTAssertEqual(ClientResponseSummary(response).fields.sorted(), fields, "\(type) \(data)")
        }
        try assertNothingWritten()
        XCTAssertTrue(fixture.omnichannel.received.isEmpty)
    }

    func testRESTValidationErrors() throws {
        let cases: [(String, String, String, [String])] = [
            ("POST", "/v1/deals", "not json", ["body"]),
            ("POST", "/v1/deals", "[1]", ["body"]),
            ("POST", "/v1/deals", #"{"name":7}"#, ["name"]),
            ("POST", "/v1/tickets", #"{"name":"t","due_at":"2026-13-45"}"#, ["due_at"]),
            ("PATCH", "/v1/deals/1", #"{"id":2,"stage":"x"}"#, ["id"]),
            ("PATCH", "/v1/deals/0", #"{"stage":"x"}"#, ["id"]),
        ]
        for (method, path, body, fields) in cases {
            let response = try gateway.admin(method, path, body: body)
            XCTAssertEqual(response.status, 400, "\(method) \(path) \(body)")
            XCTAssertEqual(ClientResponseSummary(response).fields, fields, "\(method) \(path) \(body)")
        }
        try assertNothingWritten()
    }

    func testUnknownCreatorFlagIsAcceptedWithTheDefaultLabel() throws {
        let response = try gateway.command("deal.created", #"{"name":"x","creator_flag":"marketing_robot"}"#)
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.json?["creator_flag"], "marketing_robot")
        XCTAssertEqual(response.json?["creator_label"], .null)
    }

    func testUpdateOfAMissingRecordIs404AndItsRetryIsJudgedAfresh() throws {
        // An update that overtakes its create: refused, nothing stored under its webhook id...
        let early = try gateway.command("deal.updated", #"{"id":1,"stage":"Won","creator_flag":"bot"}"#, id: "upd-1")
        XCTAssertEqual(early.status, 404)
        XCTAssertEqual(early.header(named: "Content-Type"), "application/problem+json")
        try assertNothingWritten()
        // ...so the sender's retry, once the deal exists, is applied.
        XCTAssertEqual(try gateway.createDeal(#"{"name":"Late","room_id":"room-l","creator_flag":"bot"}"#), 1)
        let retry = try gateway.command("deal.updated", #"{"id":1,"stage":"Won","creator_flag":"bot"}"#, id: "upd-1")
        XCTAssertEqual(retry.status, 200)
        XCTAssertEqual(retry.json?["stage"], "Won")
    }

    func testDeleteTwiceAndReplayedDelete() throws {
        let id = try gateway.createDeal(#"{"name":"x","room_id":"room-2","creator_flag":"bot"}"#)
        XCTAssertEqual(try gateway.command("deal.deleted", #"{"id":\#(id),"creator_flag":"bot"}"#, id: "del-1").status, 204)
        XCTAssertEqual(try gateway.command("deal.deleted", #"{"id":\#(id),"creator_flag":"bot"}"#, id: "del-1").status, 204)
        XCTAssertEqual(try gateway.command("deal.deleted", #"{"id":\#(id),"creator_flag":"bot"}"#, id: "del-2").status, 204)
        XCTAssertEqual(try gateway.command("deal.deleted", #"{"id":999}"#).status, 404)
        XCTAssertEqual(try gateway.omnichannelOutbox().map { $0["idempotency_key"] ?? "" },
                       ["omnichannel:deal:\(id):created", "omnichannel:deal:\(id):deleted"])
    }

    func testChangingTheRoomIsRefusedAndWritesNothing() throws {
        let id = try gateway.createDeal(#"{"name":"x","room_id":"room-a","creator_flag":"bot"}"#)
        let moved = try gateway.command("deal.updated", #"{"id":\#(id),"room_id":"room-b","name":"y","creator_flag":"bot"}"#)
        XCTAssertEqual(moved.status, 400)
        XCTAssertEqual(ClientResponseSummary(moved).fields, ["data.room_id"])
        XCTAssertEqual(try gateway.rows("SELECT name, version FROM deals").first, ["name": "x", "version": "1"])
        XCTAssertEqual(try gateway.omnichannelOutbox().count, 1, "no event for the rejected update")
        XCTAssertEqual(try gateway.count("inbox"), 1, "the rejected delivery is not stored")
        let patched = try gateway.admin("PATCH", "/v1/deals/\(id)", body: #"{"room_id":"room-b"}"#)
        XCTAssertEqual(ClientResponseSummary(patched).fields, ["room_id"])
    }

    func testOversizedBodyIs413() throws {
        // A small limit: a body that fits the sockets' buffers is sent whole before the early answer closes the
        // connection, so the client reads the 413 rather than, still sending, a reset.
        fixture = try RecordsFixture(configure: { $0.server.maxBodyBytes = 2048 })
        let huge = String(repeating: "x", count: 4000)
        XCTAssertEqual(try gateway.admin("POST", "/v1/deals", body: #"{"name":"\#(huge)"}"#).status, 413)
        try assertNothingWritten()
    }
}
