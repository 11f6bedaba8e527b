import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// Meta's reports on the account's health (`account_update`, `phone_number_quality_update`) are stored with their
/// time and shown to admins by `GET /v1/whatsapp/account`; `/metrics` carries the latest event per topic for the
/// alert rule. `/readyz` stays ready: the gateway itself is fine.
final class WhatsAppAccountHealthTests: WhatsAppGatewayTestCase {
    private func metaReports(_ field: String, _ value: String, at time: Int64) throws {
        let body = #"{"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "time": \#(time), "#
            + #""changes": [{"field": "\#(field)", "value": \#(value)}]}]}"#
        XCTAssertEqual(try gateway.postWhatsApp(Array(body.utf8)).status, 200)
        gateway.waitForNormalization()
        eventually("the report is applied") {
            (try? gateway.count("inbox_items", "kind = 'account_update' AND status = 'pending'")) == 0
        }
    }

    func testARestrictionIsShownToAdminsAndOnMetricsWhileTheGatewayStaysReady() throws {
        XCTAssertEqual(try gateway.admin("GET", "/v1/whatsapp/account").json,
                       ["restricted": false, "latest": [:], "history": []])
        try metaReports("account_update", #"""
            {"phone_number": "60312345678", "event": "ACCOUNT_RESTRICTION",
             "restriction_info": [{"restriction_type": "RESTRICTED_BIZ_INITIATED_MESSAGING", "expiration": 1767830400}]}
            """#, at: 1_767_225_600)
        try metaReports("phone_number_quality_update", #"""
            {"display_phone_number": "60312345678", "event": "FLAGGED", "current_limit": "TIER_1K"}
            """#, at: 1_767_225_700)

        let account = try XCTUnwrap(gateway.admin("GET", "/v1/whatsapp/account").json)
        XCTAssertEqual(account["restricted"], true)
        let restriction = account["latest"]?["account_update"]
        XCTAssertEqual(restriction?["event"], "ACCOUNT_RESTRICTION")
        XCTAssertEqual(restriction?["reported_at"], 1_767_225_600)
        XCTAssertEqual(restriction?["phone_number"], "60312345678")
        XCTAssertEqual(restriction?["detail"]?["restriction_info"]?.at(0)?["restriction_type"],
                       "RESTRICTED_BIZ_INITIATED_MESSAGING")
        XCTAssertEqual(account["latest"]?["phone_number_quality_update"]?["detail"]?["current_limit"], "TIER_1K")
        XCTAssertEqual(account["history"]?.arrayValue?.map { $0["event"] }, ["FLAGGED", "ACCOUNT_RESTRICTION"])
        XCTAssertEqual(try gateway.request("GET", "/readyz").status, 200)
        XCTAssertEqual(try gateway.admin("GET", "/v1/whatsapp/account", token: nil).status, 401)

        let metrics = try gateway.request("GET", "/metrics").text
        for series in [#"gateway_whatsapp_account_event{topic="account_update",event="ACCOUNT_RESTRICTION"} 1"#,
                       #"gateway_whatsapp_account_event{topic="phone_number_quality_update",event="FLAGGED"} 1"#] {
            XCTAssertTrue(metrics.contains(series), series)
        }
        let rules = try String(contentsOfFile: TestGateway.repositoryFile("Config/alerts/whatsapp.rules.yml"),
                               encoding: .utf8)
        XCTAssertTrue(rules.contains("gateway_whatsapp_account_event{"))

        // A later report that lifts nothing restrictive (Meta verified the business) is the account's state now.
        try metaReports("account_update", #"{"event": "VERIFIED_ACCOUNT"}"#, at: 1_767_300_000)
        XCTAssertEqual(try gateway.admin("GET", "/v1/whatsapp/account").json?["restricted"], false)
    }
}
