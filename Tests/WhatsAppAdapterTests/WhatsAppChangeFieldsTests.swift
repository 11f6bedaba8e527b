import Delivery
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import WhatsAppAdapter
import XCTest

/// How the normalizer reads changes of webhook fields other than messages: a customer's marketing preference, a
/// template's status, quality and category, the account's health, messages echoed from the WhatsApp Business app, and
/// fields it does not act on (named, never failed).
final class WhatsAppChangeFieldsTests: XCTestCase {
    private let normalizer = WhatsAppWebhookNormalizer()

    private func normalize(_ fixture: String) throws -> NormalizationResult {
        try normalizer.normalize(Array(fixture.utf8))
    }

    func testChangesForOtherFieldsAreSkippedAndNamed() throws {
        let body = #"""
            {"object": "whatsapp_business_account", "entry": [{"id": "1", "time": 1767225600, "changes": [
              {"field": "business_capability_update", "value": {"max_daily_conversation_per_phone": 1000}},
              {"field": "template_category_update", "value": {"message_template_id": 9,
               "message_template_name": "renewal_offer", "message_template_language": "en",
               "correct_category": "MARKETING"}}]}]}
            """#
        let result = try normalize(body)
        XCTAssertEqual(result.items, [])
        XCTAssertEqual(result.failures, [])
        XCTAssertEqual(result.unhandled, ["business_capability_update", "template_category_update"],
                       "a category change Meta only announces carries nothing to apply")
        XCTAssertEqual(try normalize(WhatsAppFixtures.textBatch).unhandled, [])
    }

    func testTemplateStatusQualityAndCategoryReportsAreTemplateUpdates() throws {
        let result = try normalize(WhatsAppFixtures.mixedBatch)
        XCTAssertEqual(result.unhandled, [])
        XCTAssertEqual(try result.items.filter { $0.kind == "template_update" }.map { try InboundEvent(json: $0.payload) },
                       [.templateUpdate(InboundTemplateUpdate(
                           accountID: WhatsAppFixtures.wabaID, templateID: "1234567890", name: "csat_survey",
                           language: "en_US", status: "APPROVED", reason: "NONE"))])
        let updates = try [("message_template_status_update", "PAUSED"), ("template_quality_update", "RED"),
                           ("template_category_update", "MARKETING")].map { field, value in
            let normalized = try normalizer.normalize(WhatsAppBodyBuilder.templateUpdate(
                field, value, name: "csat_request", language: "en", time: 1_767_225_600))
            XCTAssertEqual(normalized.failures, [])
            return try XCTUnwrap(normalized.items.first)
        }
        XCTAssertEqual(updates.map(\.dedupeKey), ["wa:tpl:1234567890:en:status:PAUSED:1767225600",
                                                  "wa:tpl:1234567890:en:quality:RED:1767225600",
                                                  "wa:tpl:1234567890:en:category:MARKETING:1767225600"])
        XCTAssertEqual(updates.map(\.occurredAt), [1_767_225_600, 1_767_225_600, 1_767_225_600])
    }

    func testEchoesFromTheBusinessAppNameTheCustomerTheyWentTo() throws {
        let body = #"""
            {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "smb_message_echoes",
             "value": {"metadata": {"phone_number_id": "2"}, "message_echoes": [
               {"from": "15550783881", "to": "60123456789", "id": "wamid.E1", "timestamp": "100", "type": "text",
                "text": {"body": "On our way"}},
               {"from": "15550783881", "id": "wamid.E2", "timestamp": "101", "type": "text", "text": {"body": "?"}}]}}]}]}
            """#
        let result = try normalize(body)
        XCTAssertEqual(result.failures.map(\.error),
                       ["entry[0].changes[0].value.message_echoes[1].to or to_user_id is required"])
        XCTAssertEqual(result.items.map(\.dedupeKey), ["wa:echo:wamid.E1"])
        guard case .echo(let echo) = try InboundEvent(json: result.items[0].payload) else {
            return XCTFail("not an echo")
        }
        XCTAssertEqual(echo.senderPhone, "60123456789", "the customer is who it went to")
        XCTAssertEqual(echo.text, "On our way")
    }

    func testAccountHealthReportsAreAccountUpdatesWithTheWholeReport() throws {
        let body = #"""
            {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "time": 1767225600,
             "changes": [
              {"field": "account_update", "value": {"phone_number": "60312345678", "event": "ACCOUNT_RESTRICTION",
               "restriction_info": [{"restriction_type": "RESTRICTED_ADD_PHONE_NUMBER_ACTION",
                                     "expiration": 1767830400}]}},
              {"field": "phone_number_quality_update", "value": {"display_phone_number": "60312345678",
               "event": "FLAGGED", "current_limit": "TIER_1K"}},
              {"field": "account_update", "value": {"waba_info": {"waba_id": "1"}}}]}]}
            """#
        let result = try normalize(body)
        XCTAssertEqual(result.failures, [])
        XCTAssertEqual(result.unhandled, ["account_update"], "a report without an event carries nothing to apply")
        XCTAssertEqual(result.items.map(\.dedupeKey), [
            "wa:acct:102290129340398:account_update:ACCOUNT_RESTRICTION:60312345678:1767225600",
            "wa:acct:102290129340398:phone_number_quality_update:FLAGGED:60312345678:1767225600",
        ])
        guard case .accountUpdate(let restriction) = try InboundEvent(json: result.items[0].payload) else {
            return XCTFail("not an account update")
        }
        XCTAssertEqual(restriction.event, "ACCOUNT_RESTRICTION")
        XCTAssertEqual(restriction.timestamp, 1_767_225_600)
        XCTAssertEqual(restriction.detail["restriction_info"]?.at(0)?["restriction_type"],
                       "RESTRICTED_ADD_PHONE_NUMBER_ACTION")
    }

    func testATemplateReportWithoutItsTemplateFailsAlone() throws {
        let body = #"""
            {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
              {"field": "message_template_status_update", "value": {"message_template_name": "x", "event": 5}}]}]}
            """#
        let path = "entry[0].changes[0].value"
        XCTAssertEqual(try normalize(body).failures.map(\.error), [
            "\(path).message_template_id is required; \(path).message_template_language is required; "
                + "\(path).event must be a string, got number",
        ])
    }

    func testAStopOrResumeOfMarketingMessagesIsAPreferenceItem() throws {
        let result = try normalizer.normalize(WhatsAppBodyBuilder.marketingPreference("stop", phone: "60123456789",
                                                                                      at: 1_767_225_600))
        XCTAssertEqual(result.failures, [])
        XCTAssertEqual(result.unhandled, [])
        XCTAssertEqual(result.items.map(\.dedupeKey), ["wa:pref:60123456789:marketing_messages:stop:1767225600"])
        XCTAssertEqual(result.items.first?.kind, "preference")
        XCTAssertEqual(try result.items.first.map { try InboundEvent(json: $0.payload) }, .preference(InboundPreference(
            channelID: WhatsAppFixtures.phoneNumberID, accountID: WhatsAppFixtures.wabaID, phone: "60123456789",
            category: "marketing_messages", choice: .stop, detail: "User requested to stop marketing messages",
            timestamp: 1_767_225_600)))
    }

    func testAPreferenceWithoutTheCustomerOrItsValueFailsAlone() throws {
        let body = #"""
            {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "user_preferences",
             "value": {"metadata": {"phone_number_id": "2"}, "user_preferences": [
               {"category": "marketing_messages", "value": "stop", "timestamp": 5},
               {"wa_id": "6012", "category": "marketing_messages", "timestamp": "later"},
               {"user_id": "MY.7", "category": "marketing_messages", "value": "resume", "timestamp": 6}]}}]}]}
            """#
        let result = try normalize(body)
        let path = "entry[0].changes[0].value.user_preferences"
        XCTAssertEqual(result.failures.map(\.error), [
            "\(path)[0].wa_id or user_id is required",
            "\(path)[1].value is required; \(path)[1].timestamp must be unix seconds, got \"later\"",
        ])
        XCTAssertEqual(result.items.map(\.dedupeKey), ["wa:pref:MY.7:marketing_messages:resume:6"])
    }

    func testCallsAndTheirProgressAreCallItemsOfTheCustomer() throws {
        let body = #"""
            {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "calls", "value": {
              "metadata": {"phone_number_id": "2"},
              "calls": [
                {"id": "wacid.1", "from": "60123456789", "to": "15550783881", "event": "terminate",
                 "direction": "USER_INITIATED", "timestamp": "200", "status": ["FAILED"], "start_time": "100",
                 "end_time": "190", "duration": 90},
                {"id": "wacid.2", "from": "15550783881", "to": "60199988877", "event": "connect",
                 "direction": "BUSINESS_INITIATED", "timestamp": "300"},
                {"id": "wacid.3", "from": "15550783881", "event": "connect", "direction": "BUSINESS_INITIATED",
                 "timestamp": "301"}],
              "statuses": [
                {"id": "wacid.2", "type": "call", "status": "RINGING", "timestamp": "301", "recipient_id": "60199988877"},
                {"id": "wamid.X", "status": "sent", "timestamp": "302", "recipient_id": "60199988877"}]}}]}]}
            """#
        let result = try normalize(body)
        XCTAssertEqual(result.failures.map(\.error), ["entry[0].changes[0].value.calls[2].to is required"])
        XCTAssertEqual(result.items.map(\.dedupeKey), ["wa:call:wacid.1:terminate:FAILED:200",
                                                      "wa:call:wacid.2:connect::300",
                                                      "wa:call:wacid.2:status:RINGING:301"])
        let calls = try result.items.map { try InboundEvent(json: $0.payload) }
        XCTAssertEqual(calls.first, .call(InboundCall(
            callID: "wacid.1", channelID: "2", accountID: "1", customerPhone: "60123456789", customerCalled: true,
            event: "terminate", status: "FAILED", startedAt: 100, endedAt: 190, duration: 90, timestamp: 200)))
        guard case .call(let placed)? = calls.last else { return XCTFail("not a call") }
        XCTAssertEqual(placed.customerPhone, "60199988877", "the customer is who the business called")
        XCTAssertFalse(placed.customerCalled)
    }
}
