import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import Storage
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

    /// One message of each type Meta sends, as its webhook reference shows it: each is on the ticket thread as its
    /// type (edits and deletions change the message they name instead) and none fails.
    func testEveryMessageTypeLandsOnTheThreadWithoutAFailedItem() throws {
        let gateway = try TestGateway.tickets()
        let media: JSONValue = ["id": "1479537139650973", "mime_type": "image/jpeg", "sha256": "abc",
                                "caption": "receipt"]
        let types: [(type: String, content: JSONValue)] = [
            ("text", ["body": "Hello"]),
            ("image", media), ("audio", ["id": "2", "mime_type": "audio/ogg; codecs=opus", "voice": true]),
            ("video", ["id": "3", "mime_type": "video/mp4"]), ("sticker", ["id": "4", "mime_type": "image/webp"]),
            ("document", ["id": "5", "mime_type": "application/pdf", "filename": "invoice.pdf"]),
            ("location", ["latitude": 3.139, "longitude": 101.6869, "name": "KLCC"]),
            ("contacts", [["name": ["formatted_name": "Ahmad Faiz"], "phones": [["phone": "+60 17-778 8899"]]]]),
            ("interactive", ["type": "button_reply", "button_reply": ["id": "yes", "title": "Yes"]]),
            ("interactive", ["type": "list_reply", "list_reply": ["id": "opt_1", "title": "Billing"]]),
            ("interactive", ["type": "nfm_reply", "nfm_reply": ["response_json": "{}", "name": "flow"]]),
            ("interactive", ["type": "call_permission_reply",
                             "call_permission_reply": ["response": "accept", "expiration_timestamp": 1767830400]]),
            ("button", ["payload": "RENEW", "text": "Renew now"]),
            ("order", ["catalog_id": "CAT", "product_items": [["product_retailer_id": "P1", "quantity": 1]]]),
            ("reaction", ["message_id": "wamid.COVER-text", "emoji": "👍"]),
            ("edit", ["original_message_id": "wamid.COVER-text",
                      "message": ["type": "text", "text": ["body": "Hello again"]]]),
            ("revoke", ["original_message_id": "wamid.COVER-image"]),
            ("unsupported", ["type": "poll"]),
        ]
        for (index, row) in types.enumerated() {
            let id = index == 0 ? "wamid.COVER-text" : index == 1 ? "wamid.COVER-image" : "wamid.COVER-\(index)"
            XCTAssertEqual(try gateway.postWhatsApp(WhatsAppBodyBuilder.message(
                id: id, phone: "60123456789", bsuid: nil, timestamp: gateway.messageTimestamp + Int64(index),
                type: row.type, content: row.content)).status, 200, row.type)
            gateway.waitForIdentity()
            let filed = try gateway.rows("SELECT type FROM ticket_messages WHERE wa_message_id = ?", [.text(id)])
            XCTAssertEqual(filed.map { $0["type"] }, ["edit", "revoke"].contains(row.type) ? [] : [row.type], row.type)
        }
        XCTAssertEqual(try gateway.rows("SELECT kind, error FROM inbox_items WHERE status = 'failed'"), [])
        let thread = try gateway.rows("SELECT text, content FROM ticket_messages WHERE wa_message_id IN (?, ?)",
                                      [.text("wamid.COVER-text"), .text("wamid.COVER-image")])
        XCTAssertEqual(thread.first?["text"], "Hello again", "the edit changed the text message")
        XCTAssertEqual(thread.last?["text"], nil, "the revoke emptied the image message")
    }
}
