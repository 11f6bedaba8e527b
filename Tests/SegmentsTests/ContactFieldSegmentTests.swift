import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// The organisation's own contact fields: definitions, values checked by type, the all-or-nothing bulk upsert, and
/// segments on them (`custom.<key>`).
final class ContactFieldSegmentTests: XCTestCase {
    private var gateway: TestGateway!
    private var ids: [String: String] = [:]

    override func setUpWithError() throws {
        gateway = try TestGateway.tickets()
        ids = try gateway.customersSayHello([("aisyah", "60111000001"), ("ben", "60111000002"), ("chong", "60111000003")])
        for body in [#"{"key": "spend", "label": "Total spend", "type": "number"}"#,
                     #"{"key": "interests", "label": "Interests", "type": "multi_select", "options": ["coffee", "tea", "cake"]}"#,
                     #"{"key": "member_since", "label": "Member since", "type": "date"}"#,
                     #"{"key": "shop", "label": "Shop", "type": "url"}"#,
                     #"{"key": "tier", "label": "Tier", "type": "dropdown", "options": ["gold", "silver"]}"#] {
            let created = try gateway.admin("POST", "/v1/contact-fields", body: body)
            XCTAssertEqual(created.status, 201, created.text)
        }
    }

    override func tearDown() {
        gateway?.shutdown()
        gateway = nil
    }

    func testDefinitionsAndValuesAreCheckedByType() throws {
        XCTAssertEqual(try gateway.admin("POST", "/v1/contact-fields", body: #"{"key": "spend", "label": "x", "type": "number"}"#)
            .status, 409)
        for (body, field) in [(#"{"key": "Spend", "label": "x", "type": "number"}"#, "key"),
                              (#"{"key": "contact_id", "label": "x", "type": "number"}"#, "key"),
                              (#"{"key": "x", "label": "x", "type": "colour"}"#, "type"),
                              (#"{"key": "x", "label": "x", "type": "dropdown"}"#, "options"),
                              (#"{"key": "x", "label": "x", "type": "number", "options": ["a"]}"#, "options")] {
            let response = try gateway.admin("POST", "/v1/contact-fields", body: body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(response.json?["errors"]?.arrayValue?.first?["field"]?.stringValue, field, body)
        }
        let bad = try gateway.admin("PATCH", "/v1/contacts/\(ids["ben"]!)/fields",
                                    body: #"{"spend": "lots", "interests": ["coffee", "beer"], "member_since": "2026-13-01", "age": 3}"#)
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(Set(bad.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []),
                       ["spend", "interests", "member_since", "age"])
        let good = try gateway.admin("PATCH", "/v1/contacts/\(ids["ben"]!)/fields",
                                     body: #"{"spend": 250.5, "interests": ["tea", "coffee"], "tier": "gold"}"#)
        XCTAssertEqual(good.status, 200, good.text)
        XCTAssertEqual(good.json?["fields"]?["spend"]?.doubleValue, 250.5)
        XCTAssertEqual(good.json?["fields"]?["interests"], ["coffee", "tea"])
        let cleared = try gateway.admin("PATCH", "/v1/contacts/\(ids["ben"]!)/fields", body: #"{"tier": null}"#)
        XCTAssertNil(cleared.json?["fields"]?["tier"])
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/contacts/nobody/fields", body: #"{"tier": "gold"}"#).status, 404)
        let own = try gateway.admin("GET", "/v1/contact-fields").json?["items"]?.arrayValue?
            .filter { $0["built_in"] == false }
        XCTAssertEqual(own?.count, 5)
    }

    func testTheBulkUpsertIsAllOrNothingAndNamesEveryBadLine() throws {
        let bad = """
            {"contact_id": "\(ids["aisyah"]!)", "fields": {"spend": 900}}
            {"contact_id": "nobody", "fields": {"spend": 1}}
            {"contact_id": "\(ids["chong"]!)", "fields": {"tier": "bronze"}}
            not json
            """
        let refused = try gateway.request("POST", "/v1/contact-fields/import",
                                          headers: [("Authorization", "Bearer \(TestGateway.adminToken)")],
                                          body: Array(bad.utf8))
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(refused.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue },
                       ["line 2 (contact_id)", "line 3 (fields.tier)", "line 4"])
        XCTAssertEqual(try gateway.rows("SELECT * FROM contact_field_values").count, 0, "nothing of the file stored")

        let good = """
            {"contact_id": "\(ids["aisyah"]!)", "fields": {"spend": 900, "interests": ["coffee", "cake"], "member_since": "2024-01-10", "shop": "https://kopi.example.com/bangsar"}}
            {"contact_id": "\(ids["ben"]!)", "fields": {"spend": 120, "interests": ["coffee"], "member_since": "2026-03-01"}}

            {"contact_id": "\(ids["chong"]!)", "fields": {"interests": ["tea"], "shop": "http://teh.example.com"}}
            """
        let imported = try gateway.request("POST", "/v1/contact-fields/import",
                                           headers: [("Authorization", "Bearer \(TestGateway.adminToken)")],
                                           body: Array(good.utf8))
        XCTAssertEqual(imported.status, 200, imported.text)
        XCTAssertEqual(imported.json, ["lines": 3, "contacts": 3])

        func matched(_ field: String, _ op: String, _ value: String) throws -> Int64? {
            let rule = #"{"groups": [{"filters": [{"field": "\#(field)", "operator": "\#(op)", "value": \#(value)}]}]}"#
            let preview = try gateway.admin("POST", "/v1/segments/preview", body: rule)
            XCTAssertEqual(preview.status, 200, preview.text)
            return preview.json?["matched"]?.int64Value
        }
        XCTAssertEqual(try matched("custom.spend", "greater_than", "500"), 1)
        XCTAssertEqual(try matched("custom.spend", "is_empty", "null"), 1, "chong has no spend")
        XCTAssertEqual(try matched("custom.interests", "contains_any", #"["cake", "tea"]"#), 2)
        XCTAssertEqual(try matched("custom.interests", "contains_all", #"["coffee", "cake"]"#), 1)
        XCTAssertEqual(try matched("custom.member_since", "before", #""2025-01-01""#), 1)
        XCTAssertEqual(try matched("custom.member_since", "between", #"["2024-01-01", "2026-12-31"]"#), 2)
        XCTAssertEqual(try matched("custom.shop", "contains", #""kopi.example.com/bang""#), 1)
        XCTAssertEqual(try matched("custom.shop", "starts_with", #""teh.example""#), 1, "the protocol does not count")
        let fields = try gateway.admin("GET", "/v1/segments/fields").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(fields.first { $0["key"]?.stringValue == "custom.interests" }?["operators"],
                       ["contains_any", "contains_all", "is_empty", "is_not_empty"])
        let wrong = try gateway.admin("POST", "/v1/segments/preview",
                                      body: #"{"groups": [{"filters": [{"field": "custom.spend", "operator": "contains", "value": "9"}]}]}"#)
        XCTAssertEqual(wrong.status, 400)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/fields/custom.interests/values?prefix=c").json?["items"],
                       ["cake", "coffee"])
    }
}
