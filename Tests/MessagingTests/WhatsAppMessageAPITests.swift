import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// `POST /v1/whatsapp/messages` refuses every bad input with a 400 naming the field (and writes nothing);
/// `GET /v1/whatsapp/messages/…` and `GET /v1/templates` read back.
final class WhatsAppMessageAPITests: WhatsAppGatewayTestCase {
    /// Posts `body`, expects a 400 problem naming exactly `fields`, and that nothing was stored.
    private func refused(_ body: String, _ fields: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let send = try gateway.sendWhatsApp(body, file: file, line: line)
        XCTAssertEqual(send.status, 400, file: file, line: line)
        XCTAssertEqual(send.response.fields, fields, "\(send.response.json.map(JSONWriter.string) ?? "")",
                       file: file, line: line)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM whatsapp_outbound_messages").first?["n"], "0",
                       file: file, line: line)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM outbox").first?["n"], "0", file: file, line: line)
    }

    private let row = #"{"id": "r", "title": "Row"}"#

    func testMalformedBodiesAreRefused() throws {
        try refused("{", ["body"])
        try refused("[1]", ["body"])
        let badUTF8 = try gateway.request("POST", "/v1/whatsapp/messages", headers: [
            ("Authorization", "Bearer \(TestGateway.adminToken)")], body: Array(#"{"to": ""#.utf8) + [0xFF, 0x22, 0x7D])
        XCTAssertEqual(badUTF8.status, 400)
        XCTAssertEqual(badUTF8.json?["type"], "/problems/invalid-utf8")
    }

    func testRecipientAndContentMustBeGivenOnce() throws {
        try refused(#"{"text": "hi"}"#, ["to"])
        try refused(#"{"to": "12", "text": "hi"}"#, ["to"])
        try refused(#"{"to": 60123456789, "text": "hi"}"#, ["to"])
        try refused(#"{"to": "60123456789"}"#, ["text"])
        try refused(#"{"to": "60123456789", "text": "hi", "template": {"name": "csat_request"}}"#, ["text"])
        try refused(#"{"to": "60123456789", "text": "hi", "colour": "red"}"#, ["colour"])
        try refused(#"{"to": "60123456789", "text": 5}"#, ["text"])
        try refused(#"{"to": "60123456789", "text": "   "}"#, ["text"])
        try refused(#"{"to": "60123456789", "text": "\#(String(repeating: "x", count: 4097))"}"#, ["text"])
        try refused(#"{"to": "60123456789", "text": "hi", "purpose": "Ticket Reply"}"#, ["purpose"])
        try refused(#"{"to": "60123456789", "text": "hi", "reference": {"id": 1}}"#, ["reference"])
    }

    func testTemplateMistakesNameTheField() throws {
        try refused(#"{"to": "60123456789", "template": {"name": "no_such_template", "parameters": []}}"#, ["template.name"])
        try refused(#"{"to": "60123456789", "template": {"name": "csat_request", "language": "fr", "parameters": ["a", "b"]}}"#,
                    ["template.language"])
        try refused(#"{"to": "60123456789", "template": {"name": "csat_request", "parameters": ["only one"]}}"#,
                    ["template.parameters"])
        try refused(#"{"to": "60123456789", "template": {"name": "csat_request", "parameters": ["a", 2]}}"#,
                    ["template.parameters[1]"])
        try refused(#"{"to": "60123456789", "template": {"name": "csat_request", "parameters": ["two\nlines", "     five"]}}"#,
                    ["template.parameters[0]", "template.parameters[1]"])
        try refused(#"{"to": "60123456789", "template": {"parameters": []}}"#, ["template.name"])
        try refused(#"{"to": "60123456789", "template": {"name": "csat_request", "lang": "en"}}"#, ["template.lang"])
        try refused(#"{"to": "60123456789", "template": "csat_request"}"#, ["template"])
        let problem = try gateway.sendWhatsApp(#"{"to": "60123456789", "template": {"name": "csat_request", "parameters": []}}"#)
        XCTAssertEqual(problem.response.json?["errors"]?.arrayValue?.first?["message"],
                       "csat_request takes 2 parameters, 0 given")
    }

    func testListLimitsAreChecked() throws {
        let elevenRows = (0..<11).map { #"{"id": "r\#($0)", "title": "Row \#($0)"}"# }.joined(separator: ",")
        try refused(#"{"to": "60123456789", "list": {"body": "b", "button": "Pick", "rows": [\#(elevenRows)]}}"#,
                    ["list.sections"])
        try refused(#"{"to": "60123456789", "list": {"body": "b", "button": "Pick", "rows": [{"id": "a", "title": "\#(String(repeating: "t", count: 25))"}]}}"#,
                    ["list.sections[0].rows[0].title"])
        try refused(#"{"to": "60123456789", "list": {"body": "b", "button": "Pick", "rows": [{"id": "a", "title": "A", "description": "\#(String(repeating: "d", count: 73))"}]}}"#,
                    ["list.sections[0].rows[0].description"])
        try refused(#"{"to": "60123456789", "list": {"body": "b", "button": "Pick", "rows": [\#(row), \#(row)]}}"#,
                    ["list.sections[0].rows[1].id"])
        try refused(#"{"to": "60123456789", "list": {"body": "b", "button": "\#(String(repeating: "b", count: 21))", "rows": [\#(row)]}}"#,
                    ["list.button"])
        try refused(#"{"to": "60123456789", "list": {"header": "\#(String(repeating: "h", count: 61))", "body": "b", "button": "Pick", "rows": [\#(row)]}}"#,
                    ["list.header"])
        try refused(#"{"to": "60123456789", "list": {"body": "b", "button": "Pick", "sections": [{"rows": [{"id": "a", "title": "A"}]}, {"title": "Two", "rows": [{"id": "b", "title": "B"}]}]}}"#,
                    ["list.sections[0].title"])
        try refused(#"{"to": "60123456789", "list": {"body": "b", "button": "Pick", "rows": []}}"#,
                    ["list.sections[0].rows"])
        try refused(#"{"to": "60123456789", "list": {"body": "b", "button": "Pick"}}"#, ["list.rows"])
        try refused(#"{"to": "60123456789", "list": {"button": "Pick", "rows": [{"title": 3}]}}"#,
                    ["list.body", "list.rows[0].id", "list.rows[0].title"])
    }

    func testIdempotencyKeyReplaysTheFirstMessageAndRefusesAnotherBody() throws {
        let body = #"{"to": "60123456789", "text": "once", "purpose": "csat", "reference": "T-1"}"#
        let first = try gateway.sendWhatsApp(body, idempotencyKey: "csat:T-1")
        XCTAssertEqual(first.status, 202)
        let again = try gateway.request("POST", "/v1/whatsapp/messages", headers: [
            ("Authorization", "Bearer \(TestGateway.adminToken)"), ("Idempotency-Key", "csat:T-1")], body: Array(body.utf8))
        XCTAssertEqual(again.status, 202)
        XCTAssertEqual(again.header(named: "Idempotent-Replayed"), "true")
        XCTAssertEqual(again.json?["id"]?.int64Value, first.id)
        let other = try gateway.sendWhatsApp(#"{"to": "60123456789", "text": "twice"}"#, idempotencyKey: "csat:T-1")
        XCTAssertEqual(other.status, 409)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM outbox").first?["n"], "1")
        let bad = try gateway.sendWhatsApp(body, idempotencyKey: "has space")
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.response.fields, ["Idempotency-Key"])
    }

    func testMessagesAreReadByIdAndByPurposeAndReference() throws {
        let id = try XCTUnwrap(gateway.sendWhatsApp(#"{"to": "60123456789", "text": "hi", "purpose": "csat", "reference": "T-7"}"#).id)
        _ = try gateway.sendWhatsApp(#"{"to": "60123456789", "text": "other", "purpose": "csat", "reference": "T-8"}"#)
        let list = try gateway.admin("GET", "/v1/whatsapp/messages?purpose=csat&reference=T-7")
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.json?["items"]?.arrayValue?.map { $0["id"]?.int64Value }, [id])
        XCTAssertEqual(try gateway.admin("GET", "/v1/whatsapp/messages?purpose=csat").status, 400)
        XCTAssertEqual(try gateway.admin("GET", "/v1/whatsapp/messages/999").status, 404)
        let badID = try gateway.admin("GET", "/v1/whatsapp/messages/abc")
        XCTAssertEqual(badID.status, 400)
        XCTAssertEqual(ClientResponseSummary(badID).fields, ["id"])
        XCTAssertEqual(try gateway.admin("GET", "/v1/whatsapp/messages/\(id)", token: nil).status, 401)
        XCTAssertEqual(try gateway.admin("POST", "/v1/whatsapp/messages", body: #"{"to": "60123456789", "text": "x"}"#,
                                         token: "wrong").status, 401)
    }

    func testTemplatesAreListed() throws {
        let response = try gateway.admin("GET", "/v1/templates")
        XCTAssertEqual(response.status, 200)
        let items = try XCTUnwrap(response.json?["items"]?.arrayValue)
        XCTAssertEqual(items.compactMap { $0["name"]?.stringValue },
                       ["csat_request", "onboarding_cancelled", "onboarding_confirmation", "onboarding_reminder",
                        "onboarding_rescheduled", "renewal_offer", "renewal_reminder_after", "renewal_reminder_before", "segment_promotion",
                        "support_followup"])
        XCTAssertEqual(items[0]["languages"]?["ms"]?["quick_replies"]?.arrayValue?.count, 5)
    }

    func testWithoutAPhoneNumberIDSendsAreUnavailable() throws {
        gateway = try TestGateway.whatsApp(cloud) { $0.whatsapp.phoneNumberID = nil }
        let send = try gateway.sendWhatsApp(#"{"to": "60123456789", "text": "hi"}"#)
        XCTAssertEqual(send.status, 503)
        XCTAssertEqual(send.response.json?["type"], "/problems/not-configured")
        XCTAssertTrue(send.response.json?["detail"]?.stringValue?.contains("WHATSAPP_PHONE_NUMBER_ID") ?? false)
    }

    func testOversizedBodyIs413() throws {
        gateway = try TestGateway.whatsApp(cloud) { $0.server.maxBodyBytes = 2048 }
        let send = try gateway.sendWhatsApp(#"{"to": "60123456789", "text": "\#(String(repeating: "x", count: 4000))"}"#)
        XCTAssertEqual(send.status, 413)
    }
}
