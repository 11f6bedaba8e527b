import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// The gateway reads one clock: what a test sets it to is the time of a webhook's receipt, of the signature window,
/// and of a contact written through the API — nothing reads the wall clock behind its back.
final class OneClockTests: XCTestCase {
    func testWebhookReceiptSignatureWindowAndContactWritesFollowTheAppClock() throws {
        let gateway = try TestGateway(clockStart: 1_800_000_000_123) { $0.adminToken = TestGateway.adminToken }
        let body = WhatsAppBodyBuilder.message(id: "wamid.one-clock", phone: "60111222333", bsuid: nil,
                                               timestamp: 1_800_000_000)
        XCTAssertEqual(try gateway.postWhatsApp(body).status, 200)
        XCTAssertEqual(try gateway.logRows("SELECT received_at FROM deliveries").first?["received_at"], "1800000000123")
        gateway.waitForNormalization()
        XCTAssertEqual(try gateway.rows("SELECT received_at FROM inbox").first?["received_at"], "1800000000123")

        // A bot request signed "now" by the wall clock is outside the window of a clock set to 2027.
        let deal = Array(#"{"type":"deal.created","data":{"name":"Clocked"}}"#.utf8)
        let wallNow = Int64(Date().timeIntervalSince1970)
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", deal, id: "wall", timestamp: wallNow).status, 401)
        XCTAssertEqual(try gateway.postBot("/webhooks/chatbot", deal, id: "app").status, 201)

        gateway.clock.advance(milliseconds: 1_000)
        let created = try gateway.admin("POST", "/v1/contacts", body: #"{"name":"Aina","phones":["+60199988877"]}"#)
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(try gateway.rows("SELECT created_at FROM customers WHERE display_name = 'Aina'")
                        .first?["created_at"], "1800000001123")
    }
}
