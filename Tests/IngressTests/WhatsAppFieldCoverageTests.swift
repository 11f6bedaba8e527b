import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import XCTest

/// One signed delivery per webhook `field` Meta sends, through the real server: each is acknowledged, has its effect,
/// and none becomes a failed item. The README's "What each WhatsApp webhook field does" is this table in words.
final class WhatsAppFieldCoverageTests: XCTestCase {
    private struct Row {
        let field: String
        let body: [UInt8]
        let effect: (TestGateway) throws -> Bool
    }

    private static func change(_ field: String, _ value: String, time: Int64 = 1_767_225_600) -> [UInt8] {
        Array((#"{"object": "whatsapp_business_account", "entry": [{"id": "\#(WhatsAppFixtures.wabaID)", "#
            + #""time": \#(time), "changes": [{"field": "\#(field)", "value": \#(value)}]}]}"#).utf8)
    }

    private static let metadata = #""metadata": {"phone_number_id": "\#(WhatsAppFixtures.phoneNumberID)"}"#

    private let rows: [Row] = [
        Row(field: "messages", body: Array(WhatsAppFixtures.mixedBatch.utf8)) {
            try $0.count("ticket_messages") > 0 && $0.count("customers") > 0
        },
        Row(field: "messages (statuses)", body: Array(WhatsAppFixtures.statuses.utf8)) {
            try $0.count("whatsapp_unmatched_statuses") > 0
        },
        Row(field: "messages (system)", body: Array(WhatsAppFixtures.systemChanges.utf8)) {
            try $0.count("inbox_items", "kind = 'identity_change' AND status != 'pending'") > 0
        },
        Row(field: "user_preferences",
            body: WhatsAppBodyBuilder.marketingPreference("stop", phone: "60199988877", at: 1_767_225_600)) {
            try $0.count("customer_consents", "status = 'withdrawn'") == 1
        },
        Row(field: "message_template_status_update",
            body: WhatsAppBodyBuilder.templateUpdate("message_template_status_update", "PAUSED", name: "csat_request",
                                                     language: "ms", time: 1_767_225_600)) {
            try $0.count("whatsapp_template_states", "name = 'csat_request' AND status = 'PAUSED'") == 1
        },
        Row(field: "template_quality_update",
            body: WhatsAppBodyBuilder.templateUpdate("template_quality_update", "YELLOW", name: "support_followup",
                                                     language: "en", time: 1_767_225_600)) {
            try $0.count("whatsapp_template_states", "quality = 'YELLOW'") == 1
        },
        Row(field: "template_category_update",
            body: WhatsAppBodyBuilder.templateUpdate("template_category_update", "MARKETING", name: "renewal_offer",
                                                     language: "en", time: 1_767_225_600)) {
            try $0.count("whatsapp_template_states", "category = 'MARKETING'") == 1
        },
        Row(field: "account_update",
            body: change("account_update", #"{"phone_number": "15550783881", "event": "VERIFIED_ACCOUNT"}"#)) {
            try $0.count("whatsapp_account_updates", "topic = 'account_update'") == 1
        },
        Row(field: "phone_number_quality_update",
            body: change("phone_number_quality_update",
                         #"{"display_phone_number": "15550783881", "event": "UPGRADE", "current_limit": "TIER_10K"}"#)) {
            try $0.count("whatsapp_account_updates", "topic = 'phone_number_quality_update'") == 1
        },
        Row(field: "smb_message_echoes",
            body: change("smb_message_echoes", #"{\#(metadata), "message_echoes": [{"from": "15550783881", "#
                         + #""to": "60177788899", "id": "wamid.ECHO-COVER", "timestamp": "1767225600", "#
                         + #""type": "text", "text": {"body": "On our way"}}]}"#)) {
            try $0.count("inbox_items", "kind = 'echo' AND status IN ('applied', 'ignored')") == 1
        },
        Row(field: "calls", body: change("calls", #"{\#(metadata), "calls": [{"id": "wacid.1", "event": "connect", "#
                                             + #""direction": "USER_INITIATED", "from": "60155566677", "#
                                             + #""timestamp": "1767225600"}]}"#)) {
            try $0.count("ticket_messages", "type = 'call'") == 1
        },
        Row(field: "a field Meta adds later", body: change("brand_new_field", #"{"anything": [1, 2]}"#)) {
            $0.app.metrics.counter("gateway_whatsapp_unhandled_total", [("field", "brand_new_field")]) == 1
        },
    ]

    func testEveryFieldIsAcknowledgedAndHasItsEffectWithoutAFailedItem() throws {
        let gateway = try TestGateway.tickets()
        for row in rows {
            XCTAssertEqual(try gateway.postWhatsApp(row.body).status, 200, row.field)
            gateway.waitForIdentity()
            eventually(row.field) { try row.effect(gateway) }
        }
        XCTAssertEqual(try gateway.rows("SELECT kind, error FROM inbox_items WHERE status = 'failed'"), [])
        XCTAssertEqual(try gateway.count("inbox", "status = 'failed'"), 0)
    }
}
