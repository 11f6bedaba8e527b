import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// A customer who taps "Stop promotions" in WhatsApp (Meta's `user_preferences` change) gets no marketing template
/// from the gateway until they tap "Resume": the choice is on the contact document and in the identity audit, and
/// MARKETING sends are refused before anything is queued, while UTILITY ones (CSAT, renewal reminders) still go.
final class MarketingConsentTests: WhatsAppGatewayTestCase {
    private let phone = "60123456789"

    private func offer(_ key: String) throws -> (status: Int, id: Int64?, detail: String?) {
        let send = try gateway.sendWhatsApp(#"""
            {"to": "+\#(phone)", "template": {"name": "renewal_offer", "language": "en",
             "parameters": ["Siti", "Kedai Siti", "2 months free"]}}
            """#, idempotencyKey: key)
        return (send.status, send.id, send.response.json?["detail"]?.stringValue)
    }

    private func customerChooses(_ value: String, at: Int64) throws {
        XCTAssertEqual(try gateway.postWhatsApp(WhatsAppBodyBuilder.marketingPreference(value, phone: phone, at: at))
                           .status, 200)
        gateway.waitForIdentity()
    }

    private func contact() throws -> JSONValue? {
        try gateway.contacts("GET", "/v1/contacts?phone=%2B\(phone)").json
    }

    func testAStopRefusesMarketingTemplatesUntilTheCustomerResumes() throws {
        XCTAssertEqual(try offer("before").status, 202, "no choice made: marketing may be sent")

        try customerChooses("stop", at: 1_767_225_600)
        let consent = try contact()?["consents"]?["marketing_messages"]
        XCTAssertEqual(consent?["status"], "withdrawn")
        XCTAssertEqual(consent?["source"], "whatsapp")
        XCTAssertEqual(consent?["changed_at"], 1_767_225_600)
        XCTAssertEqual(consent?["detail"], "User requested to stop marketing messages")
        XCTAssertEqual(try gateway.rows("SELECT action, subject FROM identity_audit WHERE action LIKE 'consent.%'"),
                       [["action": "consent.withdrawn", "subject": "marketing_messages"]])

        let queued = try gateway.count("whatsapp_outbound_messages")
        let refused = try offer("after-stop")
        XCTAssertEqual(refused.status, 409)
        XCTAssertEqual(refused.detail, "\(phone) stopped marketing messages; renewal_offer is a MARKETING template")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), queued, "nothing is queued")
        XCTAssertEqual(try offer("before").status, 202, "a retry of a message queued before the stop gets it back")
        let utility = try gateway.sendWhatsApp(#"""
            {"to": "\#(phone)", "template": {"name": "support_followup", "parameters": ["Siti", "T-1"]}}
            """#, idempotencyKey: "utility")
        XCTAssertEqual(utility.status, 202, "a UTILITY template is not marketing")

        try customerChooses("resume", at: 1_767_225_700)
        XCTAssertEqual(try contact()?["consents"]?["marketing_messages"]?["status"], "granted")
        XCTAssertEqual(try offer("after-resume").status, 202)
    }

    func testAnOlderChoiceArrivingLateChangesNothing() throws {
        try customerChooses("stop", at: 1_767_225_700)
        try customerChooses("resume", at: 1_767_225_600)
        XCTAssertEqual(try contact()?["consents"]?["marketing_messages"]?["status"], "withdrawn")
        XCTAssertEqual(try offer("late-resume").status, 409)
        XCTAssertEqual(try gateway.count("identity_audit", "action LIKE 'consent.%'"), 1)
    }

    func testAContactThatNeverChoseHasNoConsents() throws {
        XCTAssertEqual(try gateway.postWhatsApp(WhatsAppBodyBuilder.message(
            id: "wamid.C1", phone: phone, bsuid: nil, timestamp: 1_767_225_600)).status, 200)
        gateway.waitForIdentity()
        XCTAssertEqual(try contact()?["consents"], [:])
    }
}
