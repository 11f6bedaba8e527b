import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// Meta's reports on the business's templates (status, quality, category) are kept per name and language, shown by
/// `GET /v1/templates` and `/metrics`, and a template Meta paused or rejected is refused (409) before anything is
/// queued, until Meta approves it again.
final class WhatsAppTemplateStateTests: WhatsAppGatewayTestCase {
    private func metaSays(_ field: String, _ value: String, name: String = "support_followup", language: String = "en",
                          at time: Int64, reason: String? = nil) throws {
        XCTAssertEqual(try gateway.postWhatsApp(WhatsAppBodyBuilder.templateUpdate(
            field, value, name: name, language: language, time: time, reason: reason)).status, 200)
        gateway.waitForNormalization()
        eventually("the template report is applied") {
            (try? gateway.count("inbox_items", "kind = 'template_update' AND status = 'pending'")) == 0
        }
    }

    private func followUp(_ key: String) throws -> (status: Int, detail: String?) {
        let send = try gateway.sendWhatsApp(#"""
            {"to": "60123456789", "template": {"name": "support_followup", "language": "en",
             "parameters": ["Siti", "T-1"]}}
            """#, idempotencyKey: key)
        return (send.status, send.response.json?["detail"]?.stringValue)
    }

    private func meta(_ name: String, _ language: String) throws -> JSONValue? {
        let items = try gateway.admin("GET", "/v1/templates").json?["items"]?.arrayValue ?? []
        return items.first { $0["name"]?.stringValue == name }?["languages"]?[language]?["meta"]
    }

    func testAPausedTemplateIsRefusedUntilMetaApprovesItAgain() throws {
        XCTAssertNil(try meta("support_followup", "en"), "Meta never reported: no meta, and sends go")
        XCTAssertEqual(try followUp("before").status, 202)

        try metaSays("message_template_status_update", "PAUSED", at: 1_767_225_600, reason: "LOW_QUALITY")
        XCTAssertEqual(try meta("support_followup", "en")?["status"], "PAUSED")
        XCTAssertEqual(try meta("support_followup", "en")?["reason"], "LOW_QUALITY")
        XCTAssertNil(try meta("support_followup", "ms"), "the other language is another template at Meta")
        let queued = try gateway.count("whatsapp_outbound_messages")
        let refused = try followUp("paused")
        XCTAssertEqual(refused.status, 409)
        XCTAssertEqual(refused.detail, "template support_followup (en) is PAUSED at Meta, reason LOW_QUALITY; "
                                       + "it is sent again once Meta approves it")
        XCTAssertEqual(try gateway.count("whatsapp_outbound_messages"), queued, "nothing is queued")
        let metrics = try gateway.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains(
            #"gateway_whatsapp_template_status{name="support_followup",language="en",status="PAUSED"} 1"#), metrics)
        // The alert rule names only what /metrics has.
        let rules = try String(contentsOfFile: TestGateway.repositoryFile("Config/alerts/whatsapp.rules.yml"),
                               encoding: .utf8)
        let named = Set(rules.matches(of: /gateway_[a-z_]+/).map { String($0.output) })
        XCTAssertEqual(named, ["gateway_whatsapp_template_status", "gateway_whatsapp_account_event"])
        XCTAssertTrue(metrics.contains("\ngateway_whatsapp_template_status{"))

        try metaSays("template_quality_update", "RED", at: 1_767_225_650)
        try metaSays("message_template_status_update", "APPROVED", at: 1_767_225_700)
        XCTAssertEqual(try meta("support_followup", "en")?["status"], "APPROVED")
        XCTAssertEqual(try meta("support_followup", "en")?["quality"], "RED")
        XCTAssertEqual(try followUp("approved").status, 202)
        try metaSays("message_template_status_update", "FLAGGED", at: 1_767_225_800)
        XCTAssertEqual(try followUp("flagged").status, 202, "a flagged template is at risk but still delivered")
    }

    func testAnOlderReportArrivingLateChangesNothing() throws {
        try metaSays("message_template_status_update", "REJECTED", at: 1_767_225_700)
        try metaSays("message_template_status_update", "APPROVED", at: 1_767_225_600)
        XCTAssertEqual(try meta("support_followup", "en")?["status"], "REJECTED")
        XCTAssertEqual(try followUp("late").status, 409)
    }

    func testReportsOnTemplatesTheGatewayDoesNotSendAreKeptButNotAlerted() throws {
        try metaSays("message_template_status_update", "DISABLED", name: "someone_elses", at: 1_767_225_600)
        XCTAssertEqual(try gateway.rows("SELECT name, status FROM whatsapp_template_states"),
                       [["name": "someone_elses", "status": "DISABLED"]])
        XCTAssertFalse(try gateway.request("GET", "/metrics").text.contains("someone_elses"))
    }
}
