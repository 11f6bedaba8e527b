import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// Every bad input to `POST /v1/tickets/{id}/messages` and `GET /v1/csat` is a 4xx problem naming the field, and a
/// refused reply writes nothing.
final class TicketReplyBadInputTests: WhatsAppGatewayTestCase {
    private var id: Int64 = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        id = try gateway.openTicket("hello")
    }

    private func refused(_ body: String, _ fields: [String], status: Int = 400, file: StaticString = #filePath,
                         line: UInt = #line) throws {
        let response = try gateway.reply(id, body, file: file, line: line)
        XCTAssertEqual(response.status, status, response.text, file: file, line: line)
        XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json", file: file, line: line)
        XCTAssertEqual(ClientResponseSummary(response).fields, fields, response.text, file: file, line: line)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0, file: file, line: line)
        XCTAssertEqual(try gateway.count("ticket_messages", "direction = 'out'"), 0, file: file, line: line)
    }

    func testMalformedBodiesAndFieldsAreNamed() throws {
        try refused("{", ["body"])
        try refused("[1]", ["body"])
        try refused("{}", ["text"])
        try refused(#"{"actor": "agent-7"}"#, ["text"])
        try refused(#"{"actor": 7, "text": "hi"}"#, ["actor"])
        try refused(#"{"actor": "", "text": "hi"}"#, ["actor"])
        try refused(#"{"actor": "\#(String(repeating: "a", count: 129))", "text": "hi"}"#, ["actor"])
        try refused(#"{"actor": "a\u0007b", "text": "hi"}"#, ["actor"])
        try refused(#"{"actor": "agent-7", "text": 5}"#, ["text"])
        try refused(#"{"actor": "agent-7", "text": ""}"#, ["text"])
        try refused(#"{"actor": "agent-7", "text": "   "}"#, ["text"])
        try refused(#"{"actor": "agent-7", "text": "\#(String(repeating: "x", count: 4097))"}"#, ["text"])
        try refused(#"{"actor": "agent-7", "text": "hi", "template": {"name": "support_followup"}}"#, ["text"])
        try refused(#"{"actor": "agent-7", "template": "support_followup"}"#, ["template"])
        try refused(#"{"actor": "agent-7", "template": {"name": "support_followup", "lang": "en"}}"#,
                    ["template.lang"])
        try refused(#"{"actor": "agent-7", "text": "hi", "to": "60199999999"}"#, ["to"])
        let badUTF8 = try gateway.request("POST", "/v1/tickets/\(id)/messages", headers: [
            ("Authorization", "Bearer \(TestGateway.adminToken)")], body: Array(#"{"actor": ""#.utf8) + [0xFF, 0x22, 0x7D])
        XCTAssertEqual(badUTF8.status, 400)
        XCTAssertEqual(badUTF8.json?["type"], "/problems/invalid-utf8")
    }

    func testTicketIdAuthAndHeaderAreChecked() throws {
        let body = #"{"actor": "agent-7", "text": "hi"}"#
        XCTAssertEqual(ClientResponseSummary(try gateway.reply(0, body)).fields, ["id"])
        let abc = try gateway.admin("POST", "/v1/tickets/abc/messages", body: body)
        XCTAssertEqual(abc.status, 400)
        XCTAssertEqual(ClientResponseSummary(abc).fields, ["id"])
        XCTAssertEqual(try gateway.reply(999, body).status, 404)
        XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/\(id)/messages", body: body, token: nil).status, 401)
        XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/\(id)/messages", body: body, token: "wrong").status, 401)
        let key = try gateway.reply(id, body, idempotencyKey: "has space")
        XCTAssertEqual(key.status, 400)
        XCTAssertEqual(ClientResponseSummary(key).fields, ["Idempotency-Key"])
        try gateway.ticketAction(id, "status", #"{"status": "closed", "actor": "agent-7"}"#)
        XCTAssertEqual(try gateway.reply(id, body).status, 409)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0)
    }

    func testDeletedTicketIsNotFound() throws {
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/tickets/\(id)").status, 204)
        XCTAssertEqual(try gateway.reply(id, #"{"actor": "agent-7", "text": "hi"}"#).status, 404)
    }

    func testOversizedBodyIs413() throws {
        gateway = try TestGateway.whatsApp(cloud) { $0.server.maxBodyBytes = 2048 }
        let response = try gateway.reply(1, #"{"actor": "agent-7", "text": "\#(String(repeating: "x", count: 4000))"}"#)
        XCTAssertEqual(response.status, 413)
    }

    func testReportParametersAreNamed() throws {
        let cases: [(String, [String])] = [
            ("", ["group_by"]),
            ("group_by=team", ["group_by"]),
            ("group_by=agent&from=yesterday", ["from"]),
            ("group_by=agent&to=2026-13-01", ["to"]),
            ("group_by=agent&from=2026-07-02T00:00:00Z&to=2026-07-01T00:00:00Z", ["to"]),
            ("group_by=agent&limit=0", ["limit"]),
            ("group_by=agent&limit=1001", ["limit"]),
            ("group_by=agent&limit=ten", ["limit"]),
            ("groupby=agent", ["groupby", "group_by"]),
        ]
        for (query, fields) in cases {
            let response = try gateway.csatReport(query)
            XCTAssertEqual(response.status, 400, query)
            XCTAssertEqual(ClientResponseSummary(response).fields, fields, query)
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/csat?group_by=agent", token: nil).status, 401)
        let empty = try gateway.csatReport("group_by=outlet&from=30d")
        XCTAssertEqual(empty.status, 200)
        XCTAssertEqual(empty.json?["groups"], [])
        XCTAssertEqual(empty.json?["totals"]?["count"], 0)
        XCTAssertEqual(empty.json?["totals"]?["response_rate"], .null)
        XCTAssertEqual(empty.json?["totals"]?["average"], .null)
    }
}
