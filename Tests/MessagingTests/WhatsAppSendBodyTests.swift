import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPServer
import HTTPTesting
import XCTest

/// What the Cloud API receives for each kind of message, byte for byte, and what the gateway records from its answer.
final class WhatsAppSendBodyTests: WhatsAppGatewayTestCase {
    /// Sends `body` and returns the one request the Cloud API got, after the message was accepted.
    private func sent(_ body: String, file: StaticString = #filePath, line: UInt = #line) throws -> StubSink.Received {
        let send = try gateway.sendWhatsApp(body, file: file, line: line)
        XCTAssertEqual(send.status, 202, "\(send.response.json.map(JSONWriter.string) ?? "")", file: file, line: line)
        let id = try XCTUnwrap(send.id, file: file, line: line)
        gateway.waitForWhatsApp(id, status: "accepted", file: file, line: line)
        return try XCTUnwrap(cloud.received.last, file: file, line: line)
    }

    func testTextIsPostedToThePhoneNumbersMessagesWithTheBearerTokenAndTheWamidIsStored() throws {
        let send = try gateway.sendWhatsApp(#"{"to": "+60 12-345 6789", "text": "Your order is ready", "purpose": "ticket_reply", "reference": 42}"#)
        XCTAssertEqual(send.status, 202)
        XCTAssertEqual(send.response.json?["status"], "queued")
        let id = try XCTUnwrap(send.id)
        let message = try XCTUnwrap(gateway.waitForWhatsApp(id, status: "accepted"))
        let request = try XCTUnwrap(cloud.received.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/v21.0/\(WhatsAppFixtures.phoneNumberID)/messages")
        XCTAssertEqual(request.headers["Authorization"], "Bearer \(TestGateway.whatsAppToken)")
        XCTAssertEqual(request.headers["Content-Type"], "application/json")
        XCTAssertEqual(request.text, #"{"messaging_product":"whatsapp","recipient_type":"individual","text":{"body":"Your order is ready"},"to":"60123456789","type":"text"}"#)
        XCTAssertEqual(message["wamid"], "wamid.M0")
        XCTAssertEqual(message["attempts"], 1)
        XCTAssertEqual(message["purpose"], "ticket_reply")
        XCTAssertEqual(message["reference"], "42")
        XCTAssertEqual(message["accepted_at"]?.int64Value, gateway.clock.now)
        XCTAssertEqual(message["error"], .null)
        XCTAssertEqual(try gateway.rows("SELECT wamid FROM whatsapp_outbound_messages").first?["wamid"], "wamid.M0")
    }

    func testEnglishTemplateCarriesBodyParametersAndQuickReplyPayloads() throws {
        let request = try sent(#"{"to": "60123456789", "template": {"name": "csat_request", "language": "en", "parameters": ["Aisyah", "T-1042"]}}"#)
        let buttons = (1...5).map { n in
            #"{"index":"\#(n - 1)","parameters":[{"payload":"csat:T-1042:\#(n)","type":"payload"}],"sub_type":"quick_reply","type":"button"}"#
        }.joined(separator: ",")
        XCTAssertEqual(request.text, #"{"messaging_product":"whatsapp","recipient_type":"individual","template":{"components":[{"parameters":[{"text":"Aisyah","type":"text"},{"text":"T-1042","type":"text"}],"type":"body"},"# + buttons + #"],"language":{"code":"en"},"name":"csat_request"},"to":"60123456789","type":"template"}"#)
    }

    func testMalayTemplateUsesTheMalayLanguageCode() throws {
        let request = try sent(#"{"to": "60123456789", "template": {"name": "renewal_reminder_before", "language": "ms", "parameters": ["Kedai Kopi Ali", "01/08/2026"]}, "purpose": "renewal", "reference": "att-7"}"#)
        XCTAssertEqual(request.text, #"{"messaging_product":"whatsapp","recipient_type":"individual","template":{"components":[{"parameters":[{"text":"Kedai Kopi Ali","type":"text"},{"text":"01/08/2026","type":"text"}],"type":"body"}],"language":{"code":"ms"},"name":"renewal_reminder_before"},"to":"60123456789","type":"template"}"#)
    }

    func testTemplateWithoutLanguageUsesTheConfiguredDefault() throws {
        cloud = try StubSink { _, _ in CloudAPIReply.accepted("wamid.DEFAULT") }
        gateway = try TestGateway.whatsApp(cloud) { $0.whatsapp.defaultLanguage = "ms" }
        let request = try sent(#"{"to": "60123456789", "template": {"name": "support_followup", "parameters": ["Ali", "T-9"]}}"#)
        XCTAssertTrue(request.text.contains(#""language":{"code":"ms"},"name":"support_followup""#), request.text)
        let row = try XCTUnwrap(gateway.rows("SELECT template_name, language FROM whatsapp_outbound_messages").first)
        XCTAssertEqual(row["template_name"], "support_followup")
        XCTAssertEqual(row["language"], "ms")
    }

    func testInteractiveListCarriesHeaderBodyFooterButtonAndRows() throws {
        let request = try sent(#"""
            {"to": "60123456789", "purpose": "outlet_choice", "reference": "conv-3",
             "list": {"header": "Your outlets", "body": "Which outlet is this about?", "footer": "Reply any time",
                      "button": "Choose outlet",
                      "rows": [{"id": "oid:101", "title": "Kopi Ali Bangsar", "description": "FID 7 / OID 101"},
                               {"id": "oid:102", "title": "Kopi Ali Subang"}]}}
            """#)
        XCTAssertEqual(request.text, #"{"interactive":{"action":{"button":"Choose outlet","sections":[{"rows":[{"description":"FID 7 / OID 101","id":"oid:101","title":"Kopi Ali Bangsar"},{"id":"oid:102","title":"Kopi Ali Subang"}]}]},"body":{"text":"Which outlet is this about?"},"footer":{"text":"Reply any time"},"header":{"text":"Your outlets","type":"text"},"type":"list"},"messaging_product":"whatsapp","recipient_type":"individual","to":"60123456789","type":"interactive"}"#)
    }

    func testListWithTitledSectionsKeepsThem() throws {
        let request = try sent(#"""
            {"to": "60123456789", "list": {"body": "Pick one", "button": "Outlets", "sections": [
                {"title": "Kuala Lumpur", "rows": [{"id": "a", "title": "Bangsar"}]},
                {"title": "Selangor", "rows": [{"id": "b", "title": "Subang"}]}]}}
            """#)
        XCTAssertTrue(request.text.contains(#""sections":[{"rows":[{"id":"a","title":"Bangsar"}],"title":"Kuala Lumpur"},{"rows":[{"id":"b","title":"Subang"}],"title":"Selangor"}]"#), request.text)
    }

    func testBusinessScopedUserIDIsSentAsRecipient() throws {
        let request = try sent(#"{"to": "MY.1234567890123", "text": "Hello"}"#)
        XCTAssertEqual(request.text, #"{"messaging_product":"whatsapp","recipient":"MY.1234567890123","recipient_type":"individual","text":{"body":"Hello"},"type":"text"}"#)
        XCTAssertEqual(try gateway.rows("SELECT recipient_type FROM whatsapp_outbound_messages").first?["recipient_type"], "bsuid")
    }

    func testMessagesToOneRecipientGoOutInOrder() throws {
        cloud.setScript { index, _ in index == 0 ? CloudAPIReply.error(131056, "(Business Account, Consumer Account) pair rate limit hit")
                                                 : CloudAPIReply.accepted("wamid.ORDER-\(index)") }
        let first = try XCTUnwrap(gateway.sendWhatsApp(#"{"to": "60123456789", "text": "first"}"#).id)
        let second = try XCTUnwrap(gateway.sendWhatsApp(#"{"to": "60123456789", "text": "second"}"#).id)
        eventually("first retried later") { try self.gateway.whatsAppMessage(first)?["attempts"] == 1 }
        // The second waits behind the first (same recipient): nothing else reached the Cloud API.
        XCTAssertEqual(cloud.received.count, 1)
        XCTAssertEqual(try gateway.whatsAppMessage(second)?["status"], "queued")
        gateway.advanceOutbound(seconds: 6)
        gateway.waitForWhatsApp(second, status: "accepted")
        XCTAssertEqual(cloud.received.map { JSONParser.parseText($0.text)?["text"]?["body"]?.stringValue },
                       ["first", "first", "second"])
    }
}
