import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import Ingress
import XCTest

/// Segments over real customers through the real server: every operator family against hand-computed expectations,
/// AND/OR groups, ANY-match identifiers, evaluation with its membership diff, the customer's segments, and the API's
/// limits (plan limit, refresh interval, search length).
final class SegmentEvaluationTests: XCTestCase {
    private var gateway: TestGateway!
    /// Contact ids by first name.
    private var ids: [String: String] = [:]

    override func setUpWithError() throws {
        gateway = try TestGateway.tickets()
        let people = [("aisyah", "Aisyah Rahman", "60111000001"), ("ben", "Ben Lee", "60111000002"),
                      ("chong", "Chong Wei", "60111000003"), ("dina", nil, "60111000004")]
        for (key, name, phone) in people {
            try gateway.customerSays("hello", phone: phone, name: name)
            let contact = try XCTUnwrap(try gateway.admin("GET", "/v1/contacts?phone=%2B\(phone)").json?["id"]?.stringValue)
            ids[key] = contact
        }
        for (key, size) in [("aisyah", 5000), ("ben", 100)] {
            let deal = try gateway.admin("POST", "/v1/deals",
                                         body: #"{"name": "Upgrade", "contact_id": "\#(ids[key]!)", "size": \#(size)}"#)
            XCTAssertEqual(deal.status, 201, deal.text)
        }
        XCTAssertEqual(try gateway.admin("POST", "/v1/contacts/\(ids["aisyah"]!)/consents",
                                         body: #"{"status": "withdrawn"}"#).status, 200)
    }

    override func tearDown() {
        gateway?.shutdown()
        gateway = nil
    }

    private func rule(_ groups: String, logic: String = "and") -> String {
        #"{"name": "Test", "logic": "\#(logic)", "groups": \#(groups)}"#
    }

    private func one(_ field: String, _ op: String, _ value: String = "null") -> String {
        rule(#"[{"filters": [{"field": "\#(field)", "operator": "\#(op)", "value": \#(value)}]}]"#)
    }

    /// The people a rule matches now, by first name (a segment made, evaluated and read back).
    private func members(_ body: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let preview = try gateway.admin("POST", "/v1/segments/preview", body: body, file: file, line: line)
        XCTAssertEqual(preview.status, 200, preview.text, file: file, line: line)
        XCTAssertEqual(preview.json?["total"], 4, file: file, line: line)
        let matched = preview.json?["matched"]?.int64Value ?? -1
        let created = try gateway.admin("POST", "/v1/segments", body: body, file: file, line: line)
        XCTAssertEqual(created.status, 201, created.text, file: file, line: line)
        let id = try XCTUnwrap(created.json?["id"]?.int64Value, file: file, line: line)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/refresh").status, 202, file: file, line: line)
        eventually("evaluated", file: file, line: line) {
            try self.gateway.admin("GET", "/v1/segments/\(id)").json?["readiness"]?.stringValue == "ready"
        }
        let page = try gateway.admin("GET", "/v1/segments/\(id)/members?limit=10").json?["items"]?.arrayValue ?? []
        let names = page.compactMap { item in ids.first { $0.value == item["contact_id"]?.stringValue }?.key }.sorted()
        XCTAssertEqual(Int64(names.count), matched, "preview and evaluation agree", file: file, line: line)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/archive").status, 200, file: file, line: line)
        return names
    }

    func testEveryOperatorFamilyMatchesWhatItSays() throws {
        XCTAssertEqual(try members(one("full_name", "contains", #""LEE""#)), ["ben"], "case-insensitive")
        XCTAssertEqual(try members(one("full_name", "is_empty")), ["dina"])
        XCTAssertEqual(try members(one("full_name", "is_not", #""ben lee""#)), ["aisyah", "chong"],
                       "an empty name matches only is_empty")
        XCTAssertEqual(try members(one("full_name", "starts_with", #""chong""#)), ["chong"])
        XCTAssertEqual(try members(one("phone_number", "starts_with", #""+60 111""#)), ["aisyah", "ben", "chong", "dina"])
        XCTAssertEqual(try members(one("phone_number", "ends_with", #""3""#)), ["chong"])
        XCTAssertEqual(try members(one("phone_number", "is_not", #""60111000001""#)), ["ben", "chong", "dina"])
        XCTAssertEqual(try members(one("email", "is_empty")), ["aisyah", "ben", "chong", "dina"])
        XCTAssertEqual(try members(one("deals.total_size", "greater_than", "1000")), ["aisyah"])
        XCTAssertEqual(try members(one("deals.total_size", "between", "[50, 200]")), ["ben"])
        XCTAssertEqual(try members(one("deals.total_size", "is_empty")), ["chong", "dina"])
        XCTAssertEqual(try members(one("deals.total", "equals", "0")), ["chong", "dina"])
        XCTAssertEqual(try members(one("marketing_opt_in_status", "equals", "false")), ["aisyah"])
        XCTAssertEqual(try members(one("marketing_opt_in_status", "is_empty")), ["ben", "chong", "dina"])
        XCTAssertEqual(try members(one("conversations.total", "equals", "1")), ["aisyah", "ben", "chong", "dina"])
        XCTAssertEqual(try members(one("created_at", "in_the_last_days", "1")), ["aisyah", "ben", "chong", "dina"])
        XCTAssertEqual(try members(one("created_at", "before", #""2025-06-15""#)), [], "the clock starts 2025-06-15")
        XCTAssertEqual(try members(one("created_at", "on", #""2025-06-15""#)), ["aisyah", "ben", "chong", "dina"])
        XCTAssertEqual(try members(one("customer_tenure_days", "less_than", "1")), ["aisyah", "ben", "chong", "dina"])
        let nested = rule(#"""
            [{"logic": "and", "filters": [{"field": "full_name", "operator": "contains", "value": "a"},
                                          {"field": "deals.total", "operator": "greater_than", "value": 0}]},
             {"filters": [{"field": "phone_number", "operator": "ends_with", "value": "4"}]}]
            """#, logic: "or")
        XCTAssertEqual(try members(nested), ["aisyah", "dina"])
    }

    func testEvaluationKeepsTheDiffAndTheCustomersSegments() throws {
        let body = one("deals.total", "greater_than", "0")
        let created = try gateway.admin("POST", "/v1/segments", body: body)
        let id = try XCTUnwrap(created.json?["id"]?.int64Value)
        XCTAssertEqual(created.json?["readiness"]?.stringValue, "not_ready")
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/refresh").status, 202)
        eventually("evaluated") { try self.gateway.admin("GET", "/v1/segments/\(id)").json?["member_count"] == 2 }
        let detail = try gateway.admin("GET", "/v1/segments/\(id)").json
        XCTAssertEqual(detail?["reach_percent"]?.doubleValue, 50, "2 of 4 customers")
        XCTAssertEqual(detail?["whatsapp_reachable"], 2, "both have a phone and a conversation")
        XCTAssertEqual(detail?["email_reachable"], 0)
        let aisyah = try gateway.admin("GET", "/v1/customers/\(ids["aisyah"]!)/segments").json
        XCTAssertEqual(aisyah?["segments"]?.arrayValue?.first?["segment_id"]?.int64Value, id)
        XCTAssertEqual(aisyah?["segments"]?.arrayValue?.first?["segment_name"]?.stringValue, "Test")
        XCTAssertEqual(try gateway.admin("GET", "/v1/customers/\(ids["chong"]!)/segments").json, ["segments": []])
        XCTAssertEqual(try gateway.admin("GET", "/v1/customers/nobody/segments").json, ["segments": []])

        let again = try gateway.admin("POST", "/v1/segments/\(id)/refresh")
        XCTAssertEqual(again.status, 429)
        XCTAssertEqual(again.json?["detail"]?.stringValue, "Segment was recently refreshed. Try again in 30 minutes.")
        XCTAssertEqual(again.header(named: "Retry-After"), "1800")

        // Chong gets a deal; 30 minutes later a refresh adds Chong and keeps the others.
        XCTAssertEqual(try gateway.admin("POST", "/v1/deals", body: #"{"name": "New", "contact_id": "\#(ids["chong"]!)"}"#)
            .status, 201)
        gateway.advance(minutes: 30)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(id)/refresh").status, 202)
        eventually("re-evaluated") { try self.gateway.admin("GET", "/v1/segments/\(id)").json?["member_count"] == 3 }
        let history = try gateway.rows("SELECT added, removed, member_count FROM segment_evaluations ORDER BY id")
        XCTAssertEqual(history.map { $0["added"] }, ["2", "1"])
        XCTAssertEqual(history.map { $0["removed"] }, ["0", "0"])
    }

    func testTheAPIsLimitsAndSearch() throws {
        let body = one("full_name", "is_not_empty")
        for index in 1...5 {
            let created = try gateway.admin("POST", "/v1/segments", body: body.replacingOccurrences(of: #""Test""#,
                                                                                             with: #""Loyal \#(index)""#))
            XCTAssertEqual(created.status, 201)
        }
        let sixth = try gateway.admin("POST", "/v1/segments", body: body)
        XCTAssertEqual(sixth.status, 409)
        XCTAssertEqual(sixth.json?["detail"]?.stringValue,
                       "Segment limit reached. Delete an existing segment to create a new one.")
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/1/duplicate").status, 409, "a copy counts too")
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/1/archive").json?["status"]?.stringValue, "archived")
        let copy = try gateway.admin("POST", "/v1/segments/2/duplicate")
        XCTAssertEqual(copy.status, 201)
        XCTAssertEqual(copy.json?["name"]?.stringValue, "Copy of Loyal 2")
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/1/unarchive").status, 409, "back over the limit")

        let found = try gateway.admin("GET", "/v1/segments?search=LOYAL").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(found.count, 6)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments?search=lo").status, 400)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments?status=archived").json?["items"]?.arrayValue?.count, 1)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/99").status, 404)
        let names = try gateway.admin("GET", "/v1/segments/fields/full_name/values?prefix=B").json?["items"]
        XCTAssertEqual(names, ["Ben Lee"])
        let phones = try gateway.admin("GET", "/v1/segments/fields/phone_number/values?prefix=6011100000").json?["items"]
        XCTAssertEqual(phones?.arrayValue?.count, 4)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/fields/deals.total_size/values").json?["items"], [100, 5000])
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/fields/full_name/values?prefix=%25").json?["items"], [],
                       "% is a character, not a wildcard")
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/fields/nope/values").status, 404)
        let fields = try gateway.admin("GET", "/v1/segments/fields").json?["items"]?.arrayValue ?? []
        XCTAssertTrue(fields.contains { $0["key"]?.stringValue == "deals.total_size" })
        let agent = try gateway.token(role: "agent")
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments", token: agent).status, 200, "every role views")
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments", body: body, token: agent).status, 403)
    }
}

/// The nightly evaluation: every active segment at `segments.evaluation_time` in the organisation's time zone.
final class SegmentNightlyTests: XCTestCase {
    func testTheNightlyRunEvaluatesEveryActiveSegmentAndSkipsArchivedOnes() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        try gateway.customerSays("hello", phone: "60111000009", name: "Siti")
        let body = #"{"name": "Named", "groups": [{"filters": [{"field": "full_name", "operator": "is_not_empty"}]}]}"#
        let active = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: body).json?["id"]?.int64Value)
        let archived = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: body).json?["id"]?.int64Value)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(archived)/archive").status, 200)
        // The clock starts 2025-06-15 23:06:40 in Kuala Lumpur; the next 02:00 there is three hours away.
        gateway.advance(minutes: 3 * 60)
        XCTAssertTrue(gateway.app.segmentEvaluation.runIfDue())
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(active)").json?["readiness"]?.stringValue, "ready")
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(active)").json?["member_count"], 1)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(archived)").json?["readiness"]?.stringValue, "not_ready")
        XCTAssertEqual(gateway.app.metrics.counter("gateway_segment_evaluations_total", [("outcome", "evaluated")]), 1)

        // The alert rules name only what /metrics exposes.
        let metrics = try gateway.request("GET", "/metrics").text
        let rules = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/alerts/segments.rules.yml"), encoding: .utf8)
        let named = Set(rules.matches(of: /gateway_[a-z_]+/).map { String($0.output) })
        XCTAssertEqual(named, ["gateway_segment_evaluations_total"])
        for metric in named {
            XCTAssertTrue(metrics.contains("\n\(metric)"), "the alert rules name \(metric), which /metrics does not expose")
        }
    }
}
