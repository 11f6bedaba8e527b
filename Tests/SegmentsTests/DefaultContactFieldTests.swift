import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// The built-in contact fields every organisation has: listed as built in, never redefined, set and imported like the
/// organisation's own fields (checked by type and bounds), and offered to segments under their own keys with their
/// operators.
final class DefaultContactFieldTests: XCTestCase {
    private var gateway: TestGateway!
    private var ids: [String: String] = [:]

    override func setUpWithError() throws {
        gateway = try TestGateway.tickets()
        ids = try gateway.customersSayHello([("aisyah", "60111000001"), ("ben", "60111000002"), ("chong", "60111000003")])
    }

    override func tearDown() {
        gateway?.shutdown()
        gateway = nil
    }

    private func fields() throws -> [String: JSONValue] {
        let items = try gateway.admin("GET", "/v1/contact-fields").json?["items"]?.arrayValue ?? []
        return Dictionary(uniqueKeysWithValues: items.compactMap { item in item["key"]?.stringValue.map { ($0, item) } })
    }

    func testBuiltInFieldsComeWithTheStoreAndCannotBeRedefined() throws {
        let builtIn = try fields()
        for key in ["job_title", "owner", "sex", "date_of_birth", "source", "status", "domicile", "company",
                    "loyalty_tier", "loyalty_points", "lifetime_value", "average_order_value", "total_bookings",
                    "purchase_frequency", "ad_clicks", "roas", "paid_rate"] {
            XCTAssertEqual(builtIn[key]?["built_in"], true, key)
        }
        XCTAssertTrue(builtIn.values.allSatisfy { $0["built_in"] == true }, "nothing but the built-in fields yet")
        XCTAssertEqual(builtIn["sex"]?["type"], "dropdown")
        XCTAssertEqual(builtIn["sex"]?["options"], ["Male", "Female"])
        XCTAssertEqual(builtIn["date_of_birth"]?["type"], "date")
        XCTAssertEqual(builtIn["source"]?["options"]?.arrayValue?.prefix(3), ["WhatsApp", "Email", "Instagram"])
        XCTAssertEqual(builtIn["lifetime_value"]?["type"], "number")
        XCTAssertEqual(builtIn["lifetime_value"]?["minimum"]?.doubleValue, 0)
        XCTAssertEqual(builtIn["paid_rate"]?["maximum"]?.doubleValue, 100)

        let redefined = try gateway.admin("POST", "/v1/contact-fields",
                                          body: #"{"key": "sex", "label": "Gender", "type": "dropdown", "options": ["M", "F", "X"]}"#)
        XCTAssertEqual(redefined.status, 409)
        XCTAssertEqual(redefined.json?["detail"],
                       "sex is a built-in contact field and cannot be redefined; set its values instead")
        XCTAssertEqual(try fields()["sex"]?["options"], ["Male", "Female"], "unchanged")
        let own = try gateway.admin("POST", "/v1/contact-fields", body: #"{"key": "nickname", "label": "Nickname", "type": "single_line_text"}"#)
        XCTAssertEqual(own.status, 201, own.text)
        XCTAssertEqual(own.json?["built_in"], false)
    }

    func testBuiltInValuesAreSetAndImportedLikeAnyFieldsWithinTheirBounds() throws {
        let set = try gateway.admin("PATCH", "/v1/contacts/\(ids["aisyah"]!)/fields", body: """
            {"sex": "Female", "date_of_birth": "1990-04-01", "source": "WhatsApp", "lifetime_value": 1500.5,
             "loyalty_points": 20, "paid_rate": 87.5, "job_title": "Barista"}
            """)
        XCTAssertEqual(set.status, 200, set.text)
        XCTAssertEqual(set.json?["fields"]?["sex"], "Female")
        XCTAssertEqual(set.json?["fields"]?["lifetime_value"]?.doubleValue, 1500.5)
        XCTAssertEqual(set.json?["fields"]?["date_of_birth"], "1990-04-01")

        let bad = try gateway.admin("PATCH", "/v1/contacts/\(ids["ben"]!)/fields", body: """
            {"sex": "F", "loyalty_points": -1, "ads_conversion_rate": 150, "date_of_birth": "1990-02-30", "source": 3}
            """)
        XCTAssertEqual(bad.status, 400)
        let problems = Dictionary(uniqueKeysWithValues: (bad.json?["errors"]?.arrayValue ?? []).compactMap { error in
            error["field"]?.stringValue.map { ($0, error["message"]?.stringValue ?? "") }
        })
        XCTAssertEqual(problems, [
            "sex": "must be one of the field's options (Male, Female)",
            "loyalty_points": "must be a number of at least 0",
            "ads_conversion_rate": "must be a number from 0 to 100",
            "date_of_birth": "must be a date YYYY-MM-DD",
            "source": "must be one of the field's options (WhatsApp, Email, Instagram, Facebook, Telegram, LINE, "
                + "Live chat, Web form, Phone call, Manual entry, Import)",
        ])

        let lines = """
            {"contact_id": "\(ids["ben"]!)", "fields": {"sex": "Male", "total_bookings": 4, "domicile": "Selangor"}}
            {"contact_id": "\(ids["chong"]!)", "fields": {"average_nps_score": 11}}
            """
        let refused = try gateway.request("POST", "/v1/contact-fields/import",
                                          headers: [("Authorization", "Bearer \(TestGateway.adminToken)")],
                                          body: Array(lines.utf8))
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(refused.json?["errors"]?.arrayValue?.first?["field"], "line 2 (fields.average_nps_score)")
        XCTAssertEqual(refused.json?["errors"]?.arrayValue?.first?["message"], "must be a number from 0 to 10")
        let imported = try gateway.request("POST", "/v1/contact-fields/import",
                                           headers: [("Authorization", "Bearer \(TestGateway.adminToken)")],
                                           body: Array(lines.replacingOccurrences(of: ": 11", with: ": 9").utf8))
        XCTAssertEqual(imported.status, 200, imported.text)
        let ben = try gateway.admin("GET", "/v1/contacts/\(ids["ben"]!)").json?["fields"]
        XCTAssertEqual(ben?["total_bookings"]?.doubleValue, 4)
        XCTAssertEqual(ben?["domicile"], "Selangor")
    }

    func testSegmentsOfferBuiltInFieldsUnderTheirOwnKeysWithTheirOperators() throws {
        for (contact, body) in [("aisyah", #"{"sex": "Female", "lifetime_value": 1500, "paid_rate": 90, "date_of_birth": "1990-04-01", "owner": "Farah", "last_order_date": "2025-06-01", "loyalty_tier": "Gold"}"#),
                                ("ben", #"{"sex": "Male", "lifetime_value": 200, "paid_rate": 40, "date_of_birth": "2001-12-31"}"#)] {
            XCTAssertEqual(try gateway.admin("PATCH", "/v1/contacts/\(ids[contact]!)/fields", body: body).status, 200)
        }
        let catalogue = try gateway.admin("GET", "/v1/segments/fields").json?["items"]?.arrayValue ?? []
        func field(_ key: String) -> JSONValue? { catalogue.first { $0["key"]?.stringValue == key } }
        let keys = catalogue.compactMap { $0["key"]?.stringValue }
        XCTAssertEqual(Set(keys).count, keys.count, "no built-in contact field shadows another segment field")
        XCTAssertNil(field("custom.sex"), "built-in fields have no custom. prefix")
        XCTAssertEqual(field("sex")?["operators"], ["is", "is_not", "is_empty", "is_not_empty"])
        XCTAssertEqual(field("owner")?["operators"], ["is", "is_not", "is_empty", "is_not_empty"])
        XCTAssertEqual(field("domicile")?["operators"], ["is", "is_not", "is_empty", "is_not_empty"])
        XCTAssertEqual(field("job_title")?["operators"],
                       ["is", "is_not", "contains", "does_not_contain", "starts_with", "ends_with", "is_empty", "is_not_empty"])
        XCTAssertEqual(field("date_of_birth")?["operators"], ["on", "before", "after", "between", "is_empty", "is_not_empty"])
        XCTAssertEqual(field("lifetime_value")?["operators"],
                       ["equals", "not_equals", "greater_than", "less_than", "between", "is_empty", "is_not_empty"])
        XCTAssertEqual(field("total_bookings")?["operators"], ["equals", "not_equals", "greater_than", "less_than", "between"])
        XCTAssertEqual(field("paid_rate")?["type"], "percentage")
        XCTAssertEqual(field("paid_rate")?["operators"], ["greater_than", "less_than", "between"])
        XCTAssertEqual(field("average_nps_score")?["operators"],
                       ["greater_than", "less_than", "between", "equals", "is_empty", "is_not_empty"])

        func matched(_ field: String, _ op: String, _ value: String = "null") throws -> Int64? {
            let rule = #"{"groups": [{"filters": [{"field": "\#(field)", "operator": "\#(op)", "value": \#(value)}]}]}"#
            let preview = try gateway.admin("POST", "/v1/segments/preview", body: rule)
            XCTAssertEqual(preview.status, 200, preview.text)
            return preview.json?["matched"]?.int64Value
        }
        XCTAssertEqual(try matched("sex", "is", #""female""#), 1, "case-insensitive")
        XCTAssertEqual(try matched("sex", "is_empty"), 1, "chong")
        XCTAssertEqual(try matched("lifetime_value", "greater_than", "1000"), 1)
        XCTAssertEqual(try matched("paid_rate", "between", "[30, 95]"), 2, "percentages compare as numbers")
        XCTAssertEqual(try matched("paid_rate", "greater_than", "50"), 1)
        XCTAssertEqual(try matched("date_of_birth", "before", #""2000-01-01""#), 1)
        XCTAssertEqual(try matched("owner", "is_not", #""farah""#), 0, "nobody else has an owner")
        XCTAssertEqual(try matched("days_since_last_order", "between", "[14, 14]"), 1,
                       "1 June to 15 June in the org's time zone")
        XCTAssertEqual(try matched("days_since_last_order", "is_empty"), 2)
        XCTAssertEqual(try matched("is_loyalty_member", "equals", "true"), 1)
        XCTAssertEqual(try matched("is_loyalty_member", "equals", "false"), 2)
        for (field, op) in [("custom.sex", "is"), ("date_of_birth", "not_on"), ("total_bookings", "is_empty")] {
            let refused = try gateway.admin("POST", "/v1/segments/preview", body: """
                {"groups": [{"filters": [{"field": "\(field)", "operator": "\(op)", "value": "x"}]}]}
                """)
            XCTAssertEqual(refused.status, 400, "\(field) \(op)")
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/fields/sex/values").json?["items"], ["Female", "Male"])
    }
}
