import Crypto
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPServer
import HTTPTesting
import XCTest

/// A customer's image, document, audio, video or sticker is filed on the ticket at once and downloaded after: through
/// the Cloud API's media endpoints with the access token, checked against Meta's SHA-256, stored once by content,
/// served to agents by `GET /v1/media/{id}`.
final class InboundMediaTests: MediaTestCase {
    func testAnImageIsDownloadedVerifiedStoredByContentAndServedInline() throws {
        library["1003383421387256"] = CloudMedia("jpeg bytes of a receipt", mimeType: "image/jpeg")
        let id = try customerSendsMedia("1003383421387256", caption: "Receipt attached")
        let download = try waitForDownload(id, "stored")
        let sha256 = SHA256Digest.hexHash(Array("jpeg bytes of a receipt".utf8))
        XCTAssertEqual(download["sha256"]?.stringValue, sha256)
        XCTAssertEqual(download["mime_type"], "image/jpeg")
        XCTAssertEqual(download["size_bytes"], 23)
        XCTAssertEqual(download["attempts"], 1)
        XCTAssertEqual(download["url"]?.stringValue, "/v1/media/\(id)")
        XCTAssertEqual(storedFiles(), ["\(sha256.prefix(2))/\(sha256)"])

        let requests = cloud.received.filter { $0.method == "GET" }
        XCTAssertEqual(requests.map(\.path), ["/v21.0/1003383421387256", "/files/1003383421387256"])
        XCTAssertEqual(Set(requests.map { $0.headers["Authorization"] }), ["Bearer \(TestGateway.whatsAppToken)"])

        let response = try media(id)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "jpeg bytes of a receipt")
        XCTAssertEqual(response.header(named: "Content-Type"), "image/jpeg")
        XCTAssertEqual(response.header(named: "Content-Disposition"), "inline")
        XCTAssertEqual(response.header(named: "X-Content-Type-Options"), "nosniff")
    }

    func testADocumentKeepsItsFileNameAndTheSameBytesAreStoredOnce() throws {
        library["doc-1"] = CloudMedia("%PDF-1.7 invoice", mimeType: "application/pdf")
        library["doc-2"] = CloudMedia("%PDF-1.7 invoice", mimeType: "application/pdf")
        let first = try customerSendsMedia("doc-1", type: "document", mimeType: "application/pdf",
                                           filename: "Invoice März.pdf")
        let second = try customerSendsMedia("doc-2", type: "document", mimeType: "application/pdf")
        try waitForDownload(first, "stored")
        try waitForDownload(second, "stored")
        XCTAssertEqual(storedFiles().count, 1, "\(storedFiles())")
        let named = try media(first)
        XCTAssertEqual(named.status, 200)
        XCTAssertEqual(named.header(named: "Content-Type"), "application/pdf")
        XCTAssertEqual(named.header(named: "Content-Disposition"),
                       "attachment; filename=\"Invoice M_rz.pdf\"; filename*=UTF-8''Invoice%20M%C3%A4rz.pdf")
        XCTAssertEqual(try media(second).header(named: "Content-Disposition"), "attachment")
    }

    func testTheMessageIsFiledBeforeTheDownloadAndAnUnknownOrPendingMediaIsNotFound() throws {
        cloud.setScript { _, _ in .delayed(2) }
        let id = try customerSendsMedia("slow-1")
        XCTAssertEqual(try download(of: id)?["status"], "pending", "the message is on the ticket before its file")
        let pending = try media(id)
        XCTAssertEqual(pending.status, 404)
        XCTAssertEqual(pending.header(named: "Content-Type"), "application/problem+json")
        XCTAssertEqual(try media(999_999).status, 404)
        XCTAssertEqual(try gateway.request("GET", "/v1/media/abc", headers: [
            ("Authorization", "Bearer \(TestGateway.adminToken)")]).status, 400)
        XCTAssertEqual(try gateway.request("GET", "/v1/media/\(id)").status, 401)
    }

    func testACallerOutsideTheTicketsScopeGets404() throws {
        library["img-1"] = CloudMedia("png", mimeType: "image/png")
        let id = try customerSendsMedia("img-1", mimeType: "image/png")
        try waitForDownload(id, "stored")
        let scoped = try gateway.token(role: "agent", scope: ["F1"], name: "f1-agent")
        let hidden = try media(id, token: scoped)
        XCTAssertEqual(hidden.status, 404)
        XCTAssertEqual(hidden.json?["detail"]?.stringValue, "no media with id \(id)")
        XCTAssertEqual(try media(id, token: try gateway.token(role: "agent", name: "any-agent")).status, 200)
    }

    func testAnImageSentFromTheBusinessAppIsDownloadedToo() throws {
        try gateway.customerSays("can you send the brochure?")
        library["echo-img"] = CloudMedia("brochure page", mimeType: "image/png")
        let at = gateway.messageTimestamp + 30
        let body = #"{"object": "whatsapp_business_account", "entry": [{"id": "\#(WhatsAppFixtures.wabaID)", "#
            + #""changes": [{"field": "smb_message_echoes", "value": {"messaging_product": "whatsapp", "#
            + #""metadata": {"phone_number_id": "\#(WhatsAppFixtures.phoneNumberID)"}, "message_echoes": [{"#
            + #""from": "15550783881", "to": "60123456789", "id": "wamid.ECHO-IMG", "timestamp": "\#(at)", "#
            + #""type": "image", "image": {"id": "echo-img", "mime_type": "image/png"}}]}}]}]}"#
        try gateway.customerSends(Array(body.utf8))
        let row = try XCTUnwrap(gateway.rows("SELECT id, direction FROM ticket_messages WHERE wa_message_id = 'wamid.ECHO-IMG'").first)
        XCTAssertEqual(row["direction"], "out")
        let id = try XCTUnwrap(row["id"].flatMap { Int64($0) })
        try waitForDownload(id, "stored")
        XCTAssertEqual(try media(id).text, "brochure page")
    }
}
