import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// The recipe for a new inbound source, done for real: the sample web chat source (one folder in the test support
/// library, registered with one line) feeds the product's own inbound steps.
final class SampleInboundSourceTests: XCTestCase {
    private static let secret = "webchat-secret"

    private func gateway() throws -> TestGateway {
        try TestGateway(additionalFeatures: { [WebChatFeature($0, secret: Self.secret)] })
    }

    private func post(_ gateway: TestGateway, _ body: String, secret: String = secret) throws -> ClientResponse {
        let bytes = Array(body.utf8)
        return try gateway.request("POST", "/webhooks/webchat", headers: [
            ("Content-Type", "application/json"), ("X-WebChat-Signature", WebChatRoutes.sign(bytes, secret: secret)),
        ], body: bytes)
    }

    func testAWebChatMessageIsAcknowledgedThenIdentifiedAndFiledOnATicket() throws {
        let gateway = try gateway()
        let body = #"{"id":"m-1","phone":"60123456789","name":"Aina","text":"My order is late","sent_at":1750000000}"#
        let response = try post(gateway, body)
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(try JSONParser.parse(response.body)["status"]?.stringValue, "accepted")
        eventually("the message is filed on a ticket") {
            try gateway.rows("SELECT id FROM tickets WHERE channel = 'whatsapp'").count == 1
        }
        let customer = try XCTUnwrap(gateway.rows("""
            SELECT c.public_id FROM customers c JOIN customer_identifiers i ON i.customer_id = c.id
            WHERE i.kind = 'phone' AND i.value = '60123456789'
            """).first)
        XCTAssertEqual(try gateway.rows("SELECT contact_id FROM tickets").first?["contact_id"], customer["public_id"])

        // The same message again is acknowledged with the first answer and filed once.
        XCTAssertEqual(try post(gateway, body).status, 200)
        gateway.waitForNormalization()
        XCTAssertEqual(try gateway.rows("SELECT id FROM ticket_messages").count, 1)
    }

    func testABadSignatureOrBodyIsRefusedAndNothingIsStored() throws {
        let gateway = try gateway()
        let body = #"{"id":"m-1","phone":"60123456789","text":"hi","sent_at":1750000000}"#
        XCTAssertEqual(try post(gateway, body, secret: "forged").status, 401)
        let invalid = try post(gateway, #"{"id":"m-2","phone":"+60 12","sent_at":-1}"#)
        XCTAssertEqual(invalid.status, 400)
        let fields = try JSONParser.parse(invalid.body)["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        XCTAssertEqual(Set(fields ?? []), ["phone", "text", "sent_at"])
        XCTAssertEqual(try gateway.rows("SELECT id FROM inbox WHERE source = 'webchat'").count, 0)
    }
}
