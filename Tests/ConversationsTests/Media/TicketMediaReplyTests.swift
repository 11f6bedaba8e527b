import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Agents send images, documents, audio, video and stickers by link on a ticket: inside the 24-hour window only,
/// within the Cloud API's types and caption rules; every refusal is a 400 naming the field with nothing written.
final class TicketMediaReplyTests: WhatsAppGatewayTestCase {
    private var id: Int64 = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        id = try gateway.openTicket("hello")
    }

    func testADocumentByLinkIsSentInTheCloudAPIShapeAndFiledOnTheTicket() throws {
        let response = try gateway.reply(id, #"""
            {"actor": "agent-7", "media": {"type": "document", "link": "https://files.example.com/invoice-42.pdf",
             "caption": "Your invoice", "filename": "invoice-42.pdf"}}
            """#)
        XCTAssertEqual(response.status, 202, response.text)
        XCTAssertEqual(response.json?["type"], "document")
        XCTAssertEqual(response.json?["text"], "Your invoice")
        XCTAssertEqual(response.json?["content"], ["media": ["type": "document", "link": "https://files.example.com/invoice-42.pdf",
                                                             "filename": "invoice-42.pdf"]])
        let sent = try XCTUnwrap(JSONParser.parse(cloud.waitForRequests(1)[0].body))
        XCTAssertEqual(sent, [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": "60123456789", "type": "document",
            "document": ["link": "https://files.example.com/invoice-42.pdf", "caption": "Your invoice",
                         "filename": "invoice-42.pdf"],
        ])
        XCTAssertEqual(try gateway.rows("SELECT content_kind, purpose FROM whatsapp_outbound_messages"),
                       [["content_kind": "media", "purpose": "ticket_reply"]])
        XCTAssertEqual(JSONValue.array(try gateway.ticketList(id, "history")).actions, ["opened", "replied", "first_response"])
    }

    func testAnImageWithoutCaptionSendsOnlyTheLink() throws {
        let response = try gateway.reply(id, #"{"actor": "agent-7", "media": {"type": "image", "link": "https://cdn.example.com/a.png"}}"#)
        XCTAssertEqual(response.status, 202, response.text)
        let sent = try XCTUnwrap(JSONParser.parse(cloud.waitForRequests(1)[0].body))
        XCTAssertEqual(sent["type"], "image")
        XCTAssertEqual(sent["image"], ["link": "https://cdn.example.com/a.png"])
    }

    private func refused(_ media: String, _ fields: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let response = try gateway.reply(id, #"{"actor": "agent-7", "media": \#(media)}"#, file: file, line: line)
        XCTAssertEqual(response.status, 400, response.text, file: file, line: line)
        XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json", file: file, line: line)
        XCTAssertEqual(ClientResponseSummary(response).fields, fields, response.text, file: file, line: line)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0, file: file, line: line)
        XCTAssertEqual(try gateway.count("outbox", "endpoint = 'whatsapp'"), 0, file: file, line: line)
        XCTAssertEqual(try gateway.count("ticket_messages", "direction = 'out'"), 0, file: file, line: line)
    }

    func testRefusedTypesLinksCaptionsAndFileNamesAreNamed() throws {
        try refused(#"{"type": "gif", "link": "https://x.example/a.gif"}"#, ["media.type"])
        try refused(#"{"type": "location", "link": "https://x.example/a"}"#, ["media.type"])
        try refused(#"{"link": "https://x.example/a.png"}"#, ["media.type"])
        try refused(#"{"type": "image"}"#, ["media.link"])
        try refused(#"{"type": "image", "link": "http://x.example/a.png"}"#, ["media.link"])
        try refused(#"{"type": "image", "link": "ftp://x.example/a.png"}"#, ["media.link"])
        try refused(#"{"type": "image", "link": "https://"}"#, ["media.link"])
        try refused(#"{"type": "image", "link": "not a url"}"#, ["media.link"])
        try refused(#"{"type": "image", "link": "https://x.example/\#(String(repeating: "a", count: 2050))"}"#, ["media.link"])
        try refused(#"{"type": "image", "link": 7}"#, ["media.link"])
        try refused(#"{"type": "audio", "link": "https://x.example/a.ogg", "caption": "listen"}"#, ["media.caption"])
        try refused(#"{"type": "sticker", "link": "https://x.example/a.webp", "caption": "hi"}"#, ["media.caption"])
        try refused(#"{"type": "image", "link": "https://x.example/a.png", "caption": "\#(String(repeating: "c", count: 1025))"}"#,
                    ["media.caption"])
        try refused(#"{"type": "image", "link": "https://x.example/a.png", "filename": "a.png"}"#, ["media.filename"])
        try refused(#"{"type": "document", "link": "https://x.example/a.pdf", "filename": "../etc/passwd"}"#,
                    ["media.filename"])
        try refused(#"{"type": "image", "link": "https://x.example/a.png", "size": 5}"#, ["media.size"])
        try refused(#""https://x.example/a.png""#, ["media"])
        let both = try gateway.reply(id, #"{"actor": "agent-7", "text": "hi", "media": {"type": "image", "link": "https://x.example/a.png"}}"#)
        XCTAssertEqual(ClientResponseSummary(both).fields, ["text"])
    }

    func testMediaOutsideTheWindowGetsTheSameRefusalAsText() throws {
        gateway.advance(minutes: 24 * 60 + 1)
        let response = try gateway.reply(id, #"{"actor": "agent-7", "media": {"type": "image", "link": "https://x.example/a.png"}}"#)
        XCTAssertEqual(response.status, 400, response.text)
        XCTAssertEqual(ClientResponseSummary(response).fields, ["media"])
        let reason = response.json?["errors"]?.arrayValue?.first?["message"]?.stringValue ?? ""
        XCTAssertTrue(reason.contains("24-hour customer-service window closed at"), reason)
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), 0)
    }

    func testTheAdminSendTakesMediaTooAndNamesItsFields() throws {
        let sent = try gateway.sendWhatsApp(#"{"to": "+60123456789", "media": {"type": "video", "link": "https://x.example/a.mp4", "caption": "How to"}}"#)
        XCTAssertEqual(sent.status, 202, "\(sent.response)")
        let body = try XCTUnwrap(JSONParser.parse(cloud.waitForRequests(1)[0].body))
        XCTAssertEqual(body["video"], ["link": "https://x.example/a.mp4", "caption": "How to"])
        let refused = try gateway.sendWhatsApp(#"{"to": "+60123456789", "media": {"type": "reel", "link": "https://x.example/a"}}"#)
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(refused.response.fields, ["media.type"])
    }
}
