import Configuration
import Conversations
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// Every new ticket endpoint refuses bad input with a problem naming the field, writes nothing, and never answers 5xx.
final class TicketWorkflowBadInputTests: OneTicketTestCase {
    /// What must not change when a request is refused.
    private func snapshot() throws -> [String] {
        try ["ticket_history", "ticket_notes", "ticket_messages", "outbox"].map { "\($0)=\(try gateway.count($0))" }
            + (try gateway.rows("SELECT version, status, assignee, category, outcome FROM tickets")).map {
                $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            }
    }

    private func assertRefused(_ action: String, _ body: [UInt8], status: Int = 400, fields: [String],
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try snapshot()
        let response = try gateway.request("POST", "/v1/tickets/\(id)/\(action)",
                                           headers: [("Authorization", "Bearer \(TestGateway.adminToken)"),
                                                     ("Content-Type", "application/json")], body: body)
        XCTAssertEqual(response.status, status, "\(action) \(String(decoding: body, as: UTF8.self)): \(response.text)",
                       file: file, line: line)
        XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json", file: file, line: line)
        XCTAssertEqual(ClientResponseSummary(response).fields.sorted(), fields.sorted(),
                       "\(action) \(String(decoding: body, as: UTF8.self))", file: file, line: line)
        XCTAssertEqual(try snapshot(), before, "nothing written", file: file, line: line)
    }

    private func assertRefused(_ action: String, _ body: String, status: Int = 400, fields: [String],
                               file: StaticString = #filePath, line: UInt = #line) throws {
        try assertRefused(action, Array(body.utf8), status: status, fields: fields, file: file, line: line)
    }

    func testMalformedBodiesOnEveryAction() throws {
        for action in TicketWorkflowRequest.Action.allCases.map(\.rawValue) {
            try assertRefused(action, "{nope", fields: ["body"])
            try assertRefused(action, [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D], fields: ["body"])  // {"\xFF\xFE":1}
            try assertRefused(action, "", fields: ["body"])
            try assertRefused(action, "[1,2]", fields: ["body"])
            try assertRefused(action, "\"text\"", fields: ["body"])
        }
        let utf8 = try gateway.request("POST", "/v1/tickets/\(id)/notes",
                                       headers: [("Authorization", "Bearer \(TestGateway.adminToken)")],
                                       body: [0x7B, 0x22, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D])
        XCTAssertEqual(utf8.json?["type"], "/problems/invalid-utf8")
    }

    func testMissingAndMistypedFields() throws {
        let long = String(repeating: "a", count: 129)
        try assertRefused("status", "{}", fields: ["status"])
        try assertRefused("status", #"{"status":"done","actor":"admin"}"#, fields: ["status"])
        try assertRefused("status", #"{"status":"OPEN","actor":"admin"}"#, fields: ["status"])
        try assertRefused("status", #"{"status":3,"actor":["a"]}"#, fields: ["actor", "status"])
        try assertRefused("status", #"{"status":"pending","actor":"","outcome":7}"#, fields: ["actor", "outcome"])
        try assertRefused("status", #"{"status":"pending","actor":"\#(long)"}"#, fields: ["actor"])
        try assertRefused("status", #"{"status":"pending","actor":"a\u0007b"}"#, fields: ["actor"])
        try assertRefused("status", #"{"status":"pending","actor":"agent-7"}"#, fields: ["actor"])  // not the caller
        try assertRefused("status", #"{"status":"pending","actor":"admin","colour":"red"}"#, fields: ["colour"])
        try assertRefused("assignment", #"{"actor":"admin"}"#, fields: ["assignee"])
        try assertRefused("assignment", #"{"assignee":12,"actor":null}"#, fields: ["assignee"])
        try assertRefused("assignment", #"{"assignee":"","actor":"admin"}"#, fields: ["assignee"])
        try assertRefused("category", #"{"category":{"x":1},"actor":"admin"}"#, fields: ["category"])
        try assertRefused("category", #"{"outcome":"x","actor":"admin"}"#, fields: ["category", "outcome"])
        try assertRefused("outcome", #"{"outcome":"\#(long)","actor":"admin"}"#, fields: ["outcome"])
        try assertRefused("notes", #"{"actor":"admin"}"#, fields: ["text"])
        try assertRefused("notes", #"{"text":"","actor":"admin"}"#, fields: ["text"])
        try assertRefused("notes", #"{"text":false,"actor":"admin"}"#, fields: ["text"])
        try assertRefused("notes", #"{"text":"\#(String(repeating: "n", count: 4_001))","actor":"admin"}"#, fields: ["text"])
    }

    func testUnknownTicketsIdsAndTokens() throws {
        for action in TicketWorkflowRequest.Action.allCases.map(\.rawValue) {
            let body = #"{"status":"pending","assignee":"a","category":"c","outcome":"o","text":"t","actor":"a"}"#
            let valid = action == "status" ? #"{"status":"pending","actor":"a"}"#
                : action == "notes" ? #"{"text":"t","actor":"a"}"# : #"{"\#(action == "assignment" ? "assignee" : action)":"v","actor":"a"}"#
            XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/424242/\(action)", body: valid).status, 404, action)
            XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/abc/\(action)", body: valid).status, 400, action)
            XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/\(id)/\(action)", body: valid, token: nil).status, 401)
            XCTAssertEqual(try gateway.admin("POST", "/v1/tickets/\(id)/\(action)", body: body, token: "wrong").status, 401)
        }
        for list in ["history", "messages", "notes"] {
            XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/424242/\(list)").status, 404)
            XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/0/\(list)").status, 400)
            XCTAssertEqual(try gateway.admin("GET", "/v1/tickets/\(id)/\(list)", token: nil).status, 401)
            let bad = try gateway.admin("GET", "/v1/tickets/\(id)/\(list)?limit=0&cursor=x")
            XCTAssertEqual(bad.status, 400)
            XCTAssertEqual(ClientResponseSummary(bad).fields.sorted(), ["cursor", "limit"])
        }
        let badList = try gateway.admin("GET", "/v1/tickets?status=&queue=\(String(repeating: "q", count: 129))")
        XCTAssertEqual(ClientResponseSummary(badList).fields.sorted(), ["queue", "status"])
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/tickets/\(id)/notes").status, 405)
    }

    func testOversizedBodyIs413() throws {
        gateway = nil
        gateway = try TestGateway.tickets { $0.server.maxBodyBytes = 2048 }
        id = try gateway.openTicket()
        let text = String(repeating: "x", count: 4_000)
        let response = try gateway.admin("POST", "/v1/tickets/\(id)/notes", body: #"{"text":"\#(text)","actor":"a"}"#)
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(try gateway.count("ticket_notes"), 0)
    }
}
