import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import XCTest

/// Beyond the status, Meta's reports say which conversation a message opened or belongs to, how it is priced, when a
/// voice message was played and, for a failure, why: the message API shows all of it (for cost reporting and agents).
final class WhatsAppMessageDetailsTests: WhatsAppGatewayTestCase {
    private let t0: Int64 = 1_767_226_200

    func testConversationPricingAndPlaybackAreOnTheMessage() throws {
        let id = try acceptedMessage()
        guard case .object(var sent) = WhatsAppBodyBuilder.status("wamid.M0", "sent", at: t0) else {
            return XCTFail("a status is an object")
        }
        sent["conversation"] = ["id": "CONV-1", "expiration_timestamp": .string(String(t0 + 86_400)),
                                "origin": ["type": "service"]]
        sent["pricing"] = ["billable": false, "pricing_model": "PMP", "category": "service"]
        try gateway.postStatuses([.object(sent)])
        try gateway.postStatuses([WhatsAppBodyBuilder.status("wamid.M0", "played", at: t0 + 60),
                                  WhatsAppBodyBuilder.status("wamid.M0", "delivered", at: t0 + 5)])
        let message = try XCTUnwrap(gateway.whatsAppMessage(id))
        XCTAssertEqual(message["status"], "delivered")
        XCTAssertEqual(message["conversation"], ["id": "CONV-1", "origin": "service", "expires_at": .integer(t0 + 86_400)])
        XCTAssertEqual(message["pricing"], ["category": "service", "model": "PMP", "billable": false])
        XCTAssertEqual(message["played_at"]?.int64Value, t0 + 60)
        XCTAssertEqual(try gateway.rows("SELECT status FROM inbox_items WHERE kind = 'status'").map { $0["status"] },
                       ["applied", "applied", "applied"], "a played report is applied, not ignored")
    }

    func testAFailureSaysWhyByItsCode() throws {
        let id = try acceptedMessage()
        try gateway.postStatuses([WhatsAppBodyBuilder.status("wamid.M0", "failed", at: t0, errorCode: 131_050,
                                                             errorTitle: "User stopped marketing messages")])
        let error = try XCTUnwrap(gateway.whatsAppMessage(id)?["error"])
        XCTAssertEqual(error["code"], 131_050)
        XCTAssertEqual(error["reason"], "marketing_stopped")
        XCTAssertNil(try gateway.whatsAppMessage(id)?["pricing"], "no report said how it is priced")
    }
}
