import Campaigns
import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Campaigns to a segment through the real server and a stand-in Cloud API: who gets the template and who is
/// skipped (and why), idempotent starts, outcomes following the message's statuses and the customer's reply, the
/// segment fields over campaigns, cancellation, and every refusal.
final class SegmentCampaignTests: WhatsAppGatewayTestCase {
    private let aNames = #"{"name": "A names", "groups": [{"filters": [{"field": "full_name", "operator": "starts_with", "value": "a"}]}]}"#
    private let promotion = #"{"name": "Raya", "template": {"name": "segment_promotion"}, "variables": [{"property": "full_name"}, {"text": "20% off this week."}]}"#

    /// A ready segment of Aisyah (on WhatsApp), Ali (on WhatsApp, stopped marketing) and Amir (a phone, never wrote),
    /// with Ben (on WhatsApp) outside it; the segment's id and Aisyah's contact id.
    private func readySegment() throws -> (segment: Int64, aisyah: String) {
        try gateway.customerSays("hi", phone: "60111000001", name: "Aisyah")
        try gateway.customerSays("hi", phone: "60111000002", name: "Ali")
        try gateway.customerSays("hi", phone: "60111000003", name: "Ben")
        XCTAssertEqual(try gateway.admin("POST", "/v1/contacts", body: #"{"name": "Amir", "phones": ["+60111000004"]}"#).status, 201)
        let ali = try XCTUnwrap(try gateway.admin("GET", "/v1/contacts?phone=%2B60111000002").json?["id"]?.stringValue)
        XCTAssertEqual(try gateway.admin("POST", "/v1/contacts/\(ali)/consents", body: #"{"status": "withdrawn"}"#).status, 200)
        let aisyah = try XCTUnwrap(try gateway.admin("GET", "/v1/contacts?phone=%2B60111000001").json?["id"]?.stringValue)
        let id = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: aNames).json?["id"]?.int64Value)
        try ready(id)
        return (id, aisyah)
    }

    private func ready(_ id: Int64) throws {
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/refresh").status, 202)
        eventually("segment \(id) ready") { try self.gateway.admin("GET", "/v1/segments/\(id)").json?["readiness"] == "ready" }
    }

    private func templateSends() -> [JSONValue] {
        cloud.received.compactMap { try? JSONParser.parse($0.body) }.filter { $0["type"] == "template" }
    }

    private func recipients(_ campaign: Int64) throws -> [String: JSONValue] {
        let items = try gateway.admin("GET", "/v1/campaigns/\(campaign)/recipients").json?["items"]?.arrayValue ?? []
        return Dictionary(uniqueKeysWithValues: items.map { ($0["full_name"]?.stringValue ?? "", $0) })
    }

    private func matched(_ filter: String) throws -> Int64? {
        try gateway.admin("POST", "/v1/segments/preview", body: #"{"groups": [{"filters": [\#(filter)]}]}"#)
            .json?["matched"]?.int64Value
    }

    func testTheTemplateGoesToEveryReachableConsentingMemberOnce() throws {
        let (segment, aisyah) = try readySegment()
        let started = try gateway.request("POST", "/v1/segments/\(segment)/campaigns", headers: [
            ("Authorization", "Bearer \(TestGateway.adminToken)"), ("Idempotency-Key", "raya-1")], body: Array(promotion.utf8))
        XCTAssertEqual(started.status, 202, started.text)
        let campaign = try XCTUnwrap(started.json?["id"]?.int64Value)
        XCTAssertEqual(started.json?["audience"], ["members": .integer(3), "whatsapp": .integer(2), "consenting": .integer(1),
                                                    "estimate": "2 of 3 have WhatsApp"])
        XCTAssertEqual(started.json?["skipped"], ["no_whatsapp": .integer(1), "consent_withdrawn": .integer(1)])

        // A retried request answers the first campaign and sends nothing again.
        let retried = try gateway.request("POST", "/v1/segments/\(segment)/campaigns", headers: [
            ("Authorization", "Bearer \(TestGateway.adminToken)"), ("Idempotency-Key", "raya-1")], body: Array(promotion.utf8))
        XCTAssertEqual(retried.status, 200)
        XCTAssertEqual(retried.json?["id"]?.int64Value, campaign)
        let reused = try gateway.request("POST", "/v1/segments/\(segment)/campaigns", headers: [
            ("Authorization", "Bearer \(TestGateway.adminToken)"), ("Idempotency-Key", "raya-1")],
            body: Array(promotion.replacingOccurrences(of: "Raya", with: "Merdeka").utf8))
        XCTAssertEqual(reused.status, 409)

        eventually("the campaign sent") { try self.gateway.admin("GET", "/v1/campaigns/\(campaign)").json?["status"] == "sent" }
        eventually("the template at the Cloud API") { self.templateSends().count == 1 }
        let send = try XCTUnwrap(templateSends().first)
        XCTAssertEqual(send["to"], "60111000001")
        XCTAssertEqual(send["template"]?["name"], "segment_promotion")
        let parameters = send["template"]?["components"]?.arrayValue?.first?["parameters"]?.arrayValue ?? []
        XCTAssertEqual(parameters.map { $0["text"] }, ["Aisyah", "20% off this week."])
        var byName = try recipients(campaign)
        XCTAssertEqual(byName["Ali"]?["outcome"], "skipped")
        XCTAssertEqual(byName["Ali"]?["reason"], "consent_withdrawn")
        XCTAssertEqual(byName["Amir"]?["reason"], "no_whatsapp")
        XCTAssertNil(byName["Ben"])
        eventually("accepted by the Cloud API") { try self.recipients(campaign)["Aisyah"]?["outcome"] == "sent" }

        // Meta reports it delivered and read; then Aisyah answers.
        try gateway.postStatuses([WhatsAppBodyBuilder.status("wamid.M0", "delivered", at: gateway.messageTimestamp),
                                  WhatsAppBodyBuilder.status("wamid.M0", "read", at: gateway.messageTimestamp)])
        byName = try recipients(campaign)
        XCTAssertEqual(byName["Aisyah"]?["outcome"], "read")
        XCTAssertNotEqual(byName["Aisyah"]?["read_at"], .null)
        gateway.advance(minutes: 5)
        try gateway.customerSays("yes please, tell me more", phone: "60111000001", name: "Aisyah")
        byName = try recipients(campaign)
        XCTAssertEqual(byName["Aisyah"]?["outcome"], "replied")
        XCTAssertNotEqual(byName["Aisyah"]?["replied_at"], .null)
        XCTAssertEqual(try gateway.admin("GET", "/v1/campaigns/\(campaign)").json?["progress"]?["replied"], .integer(1))
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(segment)/campaigns").json?["items"]?.arrayValue?.first?["id"]?.int64Value,
                       campaign)

        // Segments filter on campaigns received.
        XCTAssertEqual(try matched(#"{"field": "campaigns.status", "operator": "is", "value": "replied"}"#), 1)
        XCTAssertEqual(try matched(#"{"field": "campaigns.total", "operator": "greater_than", "value": 0}"#), 1)
        XCTAssertEqual(try matched(#"{"field": "campaigns.name", "operator": "contains", "value": "ray"}"#), 1)
        XCTAssertEqual(try matched(#"{"field": "campaigns.channel", "operator": "is", "value": "whatsapp"}"#), 1)
        XCTAssertEqual(try matched(#"{"field": "campaigns.replied_at", "operator": "in_the_last_days", "value": 1}"#), 1)
        XCTAssertEqual(try matched(#"{"field": "campaigns.sent_at", "operator": "on", "value": "2025-06-15"}"#), 1)
        XCTAssertEqual(try matched(#"{"field": "campaigns.reply_rate", "operator": "equals", "value": 100}"#), 1)
        XCTAssertEqual(try matched(#"{"field": "campaigns.delivery_rate", "operator": "greater_than", "value": 99}"#), 1)
        XCTAssertEqual(try matched(#"{"field": "campaigns.name", "operator": "is_empty", "value": null}"#), 3)
        XCTAssertEqual(try matched(#"{"field": "days_since_last_campaign_engagement", "operator": "less_than", "value": 1}"#), 1)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/fields/campaigns.name/values").json?["items"], ["Raya"])
        let customer = try gateway.admin("GET", "/v1/contacts/\(aisyah)/export").json
        XCTAssertEqual(customer?["campaigns"]?.arrayValue?.first?["outcome"], "replied")
    }

    func testCancellingStopsWhatHasNotGoneYet() throws {
        gateway.shutdown()
        gateway = try TestGateway.whatsApp(cloud) { $0.campaigns.messagesPerSecond = 1 }
        for (index, name) in ["Adi", "Aina", "Azlan"].enumerated() {
            try gateway.customerSays("hi", phone: "6011200000\(index)", name: name)
        }
        let segment = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: aNames).json?["id"]?.int64Value)
        try ready(segment)
        let campaign = try XCTUnwrap(try gateway.admin("POST", "/v1/segments/\(segment)/campaigns", body: promotion)
            .json?["id"]?.int64Value)
        let cancelled = try gateway.admin("POST", "/v1/campaigns/\(campaign)/cancel")
        XCTAssertEqual(cancelled.status, 200, cancelled.text)
        XCTAssertEqual(cancelled.json?["status"], "cancelled")
        XCTAssertEqual(cancelled.json?["progress"]?["pending"], .integer(0))
        XCTAssertGreaterThanOrEqual(cancelled.json?["progress"]?["cancelled"]?.int64Value ?? 0, 2)
        XCTAssertEqual(try gateway.admin("POST", "/v1/campaigns/\(campaign)/cancel").json?["status"], "cancelled")
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertLessThanOrEqual(templateSends().count, 1, "at most the message queued before the cancel")
        let audit = try gateway.admin("GET", "/v1/audit?action=campaign.cancelled").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(audit.count, 1)
    }

    func testRefusalsNameTheProblemAndWriteNothing() throws {
        let (segment, _) = try readySegment()
        func refused(_ body: String, _ fields: [String], _ why: String = "", line: UInt = #line) throws {
            let response = try gateway.admin("POST", "/v1/segments/\(segment)/campaigns", body: body)
            XCTAssertEqual(response.status, 400, response.text, line: line)
            XCTAssertEqual(response.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue }, fields, why,
                           line: line)
        }
        try refused("[]", ["body"])
        try refused(#"{"template": {"name": "segment_promotion"}, "variables": []}"#, ["name"])
        try refused(#"{"name": "\#(String(repeating: "n", count: 101))", "template": {"name": "segment_promotion"}}"#, ["name"])
        try refused(#"{"name": "x", "template": {"name": "no_such"}, "variables": []}"#, ["template.name"])
        try refused(#"{"name": "x", "template": {"name": "segment_promotion", "language": "fr"}, "variables": [{"text": "a"}, {"text": "b"}]}"#,
                    ["template.language"])
        try refused(#"{"name": "x", "template": {"name": "segment_promotion"}, "variables": [{"text": "only one"}]}"#, ["variables"])
        try refused(#"{"name": "x", "template": {"name": "segment_promotion"}, "variables": [{"property": "shoe_size"}, {"text": "b"}]}"#,
                    ["variables[0].property"])
        try refused(#"{"name": "x", "template": {"name": "segment_promotion"}, "variables": [{"property": "custom.job_title"}, {"property": "job_title"}]}"#,
                    ["variables[0].property"], "a built-in field goes by its plain key")
        try refused(#"{"name": "x", "template": {"name": "segment_promotion"}, "variables": [{"text": "a", "fallback": "b"}, 5]}"#,
                    ["variables[0].fallback", "variables[1]"])
        try refused(#"{"name": "x", "template": {"name": "segment_promotion"}, "colour": "red"}"#, ["colour"])
        let badKey = try gateway.request("POST", "/v1/segments/\(segment)/campaigns", headers: [
            ("Authorization", "Bearer \(TestGateway.adminToken)"), ("Idempotency-Key", "")], body: Array(promotion.utf8))
        XCTAssertEqual(badKey.status, 400)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/999/campaigns", body: promotion).status, 404)

        // Not ready: an edited segment waits for its evaluation.
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/segments/\(segment)", body: aNames).status, 200)
        let notReady = try gateway.admin("POST", "/v1/segments/\(segment)/campaigns", body: promotion)
        XCTAssertEqual(notReady.status, 409)
        XCTAssertTrue(notReady.text.contains("not ready"), notReady.text)

        // Nobody reachable: a segment of Amir alone (a phone, never wrote).
        let amir = #"{"name": "Amir", "groups": [{"filters": [{"field": "full_name", "operator": "is", "value": "amir"}]}]}"#
        let lonely = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: amir).json?["id"]?.int64Value)
        try ready(lonely)
        let nobody = try gateway.admin("POST", "/v1/segments/\(lonely)/campaigns", body: promotion)
        XCTAssertEqual(nobody.status, 409)
        XCTAssertTrue(nobody.text.contains("0 of 1 have WhatsApp"), nobody.text)
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM campaigns").first?["n"], "0")
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM campaign_recipients").first?["n"], "0")
        XCTAssertEqual(try gateway.admin("GET", "/v1/campaigns/1").status, 404)
        XCTAssertEqual(try gateway.admin("GET", "/v1/campaigns/1/recipients?outcome=lost").status, 400)
    }
}
