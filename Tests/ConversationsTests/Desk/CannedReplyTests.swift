import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Canned replies over HTTP: saved with their variables and template checked, sent on a ticket with the variables
/// filled — the text inside the customer's 24-hour window, the template outside it, a 409 when it has none.
final class CannedReplyTests: WhatsAppGatewayTestCase {
    private static let thanks = #"""
        {"name": "thanks", "language": "en", "tags": ["Closing", "polite"],
         "text": "Hi {{contact.name}}, thanks for your patience on {{ticket.ref}}. {{ agent.name }} here.",
         "template": {"name": "support_followup", "parameters": ["{{contact.name}}", "{{ticket.ref}}"]}}
        """#

    private func create(_ body: String) throws -> ClientResponse {
        try gateway.admin("POST", "/v1/canned-replies", body: body)
    }

    private func send(_ replyID: Int64, on ticketID: Int64, key: String? = nil) throws -> ClientResponse {
        var headers: [(String, String)] = [("Authorization", "Bearer \(try gateway.actorToken("agent-7"))")]
        if let key { headers.append(("Idempotency-Key", key)) }
        return try gateway.request("POST", "/v1/tickets/\(ticketID)/canned-replies/\(replyID)", headers: headers)
    }

    func testInsideTheWindowTheTextIsSentWithItsVariablesFilled() throws {
        let saved = try create(Self.thanks)
        XCTAssertEqual(saved.status, 201, saved.text)
        let replyID = try XCTUnwrap(saved.json?["id"]?.int64Value)
        XCTAssertEqual(saved.json?["tags"], ["Closing", "polite"])
        let ticket = try gateway.openTicket("hello")

        let sent = try send(replyID, on: ticket, key: "k1")
        XCTAssertEqual(sent.status, 202, sent.text)
        let text = "Hi Aisyah, thanks for your patience on T-\(ticket). agent-7 here."
        XCTAssertEqual(sent.json?["text"]?.stringValue, text)
        XCTAssertEqual(cloud.waitForRequests(1)[0].text, CloudAPIBody.text(text))
        let replay = try send(replyID, on: ticket, key: "k1")
        XCTAssertEqual(replay.status, 202)
        XCTAssertEqual(replay.header(named: "Idempotent-Replayed"), "true")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 1, "a replayed key sends nothing again")
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(ticket, "history")).actions, ["opened", "replied", "first_response"])
        XCTAssertEqual(try gateway.rows("SELECT actor, detail FROM audit_events WHERE action = 'ticket.replied'").first?["actor"],
                       "agent-7")
    }

    func testOutsideTheWindowTheTemplateIsSentAndAReplyWithoutOneIsRefused() throws {
        let replyID = try XCTUnwrap(try create(Self.thanks).json?["id"]?.int64Value)
        let plain = try create(#"{"name": "plain", "language": "ms", "text": "Terima kasih {{contact.name}}"}"#)
        let plainID = try XCTUnwrap(plain.json?["id"]?.int64Value, plain.text)
        let ticket = try gateway.openTicket("hello")
        gateway.advance(minutes: 24 * 60 + 1)

        let refused = try send(plainID, on: ticket)
        XCTAssertEqual(refused.status, 409, refused.text)
        XCTAssertTrue(refused.json?["detail"]?.stringValue?.contains("no approved template") ?? false, refused.text)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0)

        let sent = try send(replyID, on: ticket)
        XCTAssertEqual(sent.status, 202, sent.text)
        XCTAssertEqual(sent.json?["type"], "template")
        XCTAssertEqual(cloud.waitForRequests(1)[0].text, CloudAPIBody.followUp(name: "Aisyah", ref: "T-\(ticket)"))
    }

    func testUnknownVariablesAndTemplatesAreNamedAndNothingIsSaved() throws {
        let cases: [(String, [String])] = [
            (#"{"name": "a", "language": "en", "text": "Hi {{contact.nmae}}"}"#, ["text"]),
            (#"{"name": "a", "language": "en", "text": "Hi", "template": {"name": "support_followup", "parameters": ["{{customer}}", "{{ticket.ref}}"]}}"#,
             ["template.parameters[0]"]),
            (#"{"name": "a", "language": "en", "text": "Hi", "template": {"name": "no_such", "parameters": []}}"#, ["template.name"]),
            (#"{"name": "a", "language": "en", "text": "Hi", "template": {"name": "support_followup", "parameters": ["x"]}}"#,
             ["template.parameters"]),
            (#"{"name": "a", "language": "fr", "text": "Hi", "tags": ["ok", 3]}"#, ["language", "tags[1]"]),
            (#"{"language": "en"}"#, ["name", "text"]),
        ]
        for (body, fields) in cases {
            let response = try create(body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(ClientResponseSummary(response).fields, fields, body)
        }
        let unknown = try create(#"{"name": "a", "language": "en", "text": "Hi {{contact.nmae}}"}"#)
        XCTAssertTrue(unknown.text.contains("unknown variable {{contact.nmae}}"), unknown.text)
        XCTAssertEqual(try gateway.count("canned_replies"), 0)
        XCTAssertEqual(try gateway.count("audit_events", "action LIKE 'canned_reply.%'"), 0)
    }

    func testRepliesAreListedSearchedReplacedAndDeleted() throws {
        let id = try XCTUnwrap(try create(Self.thanks).json?["id"]?.int64Value)
        XCTAssertEqual(try create(#"{"name": "hours", "language": "ms", "text": "Kami buka 9 pagi", "tags": ["Waktu"]}"#).status, 201)
        XCTAssertEqual(try create(#"{"name": "thanks", "language": "en", "text": "again"}"#).status, 409)

        func names(_ query: String) throws -> [String] {
            let response = try gateway.admin("GET", "/v1/canned-replies\(query)")
            XCTAssertEqual(response.status, 200, response.text)
            return response.json?["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        }
        XCTAssertEqual(try names(""), ["hours", "thanks"])
        XCTAssertEqual(try names("?q=PATIENCE"), ["thanks"], "text, case-insensitive")
        XCTAssertEqual(try names("?q=waktu"), ["hours"], "tags")
        XCTAssertEqual(try names("?language=en"), ["thanks"])
        XCTAssertEqual(ClientResponseSummary(try gateway.admin("GET", "/v1/canned-replies?q=x")).fields, ["q"])

        let replaced = try gateway.admin("PUT", "/v1/canned-replies/\(id)",
                                         body: #"{"name": "thank-you", "language": "en", "text": "Thank you {{contact.name}}"}"#)
        XCTAssertEqual(replaced.status, 200, replaced.text)
        XCTAssertEqual(replaced.json?["template"], .null)
        XCTAssertEqual(try gateway.admin("GET", "/v1/canned-replies/\(id)").json?["name"], "thank-you")
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/canned-replies/\(id)").status, 204)
        XCTAssertEqual(try gateway.admin("GET", "/v1/canned-replies/\(id)").status, 404)
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/canned-replies/\(id)").status, 404)
        XCTAssertEqual(try gateway.rows("SELECT action FROM audit_events WHERE subject_type = 'canned_reply' ORDER BY id")
            .compactMap { $0["action"] }, ["canned_reply.created", "canned_reply.created", "canned_reply.updated",
                                           "canned_reply.deleted"])
    }

    func testAnAgentMaySendButNotWriteCannedReplies() throws {
        let id = try XCTUnwrap(try create(Self.thanks).json?["id"]?.int64Value)
        let agent = try gateway.token(role: "agent")
        XCTAssertEqual(try gateway.admin("GET", "/v1/canned-replies/\(id)", token: agent).status, 200)
        XCTAssertEqual(try gateway.admin("POST", "/v1/canned-replies", body: Self.thanks, token: agent).status, 403)
    }
}
