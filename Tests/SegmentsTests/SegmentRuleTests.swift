import GatewayKit
import Segments
import XCTest

/// The rule model's limits and checks, as the seeds set them: every problem named by its path.
final class SegmentRuleTests: XCTestCase {
    private func fields(_ body: String) -> [String] {
        guard case .failure(.validation(let errors)) = SegmentInput.read(try! JSONParser.parse(Array(body.utf8))) else {
            return []
        }
        return errors.map(\.field)
    }

    private func filter(_ field: String, _ op: String, _ value: String = "null") -> String {
        #"{"name": "S", "groups": [{"filters": [{"field": "\#(field)", "operator": "\#(op)", "value": \#(value)}]}]}"#
    }

    func testTheSeedsLimitsAndEveryBadFilterAreNamed() {
        let one = #"{"field": "full_name", "operator": "is_empty"}"#
        XCTAssertEqual(fields(#"{"name": "S", "groups": [{"filters": [\#(one)]}]}"#), [])
        XCTAssertEqual(fields(#"{"name": "\#(String(repeating: "n", count: 61))", "groups": [{"filters": [\#(one)]}]}"#),
                       ["name"])
        XCTAssertEqual(fields(#"{"name": "S", "description": "\#(String(repeating: "d", count: 251))", "groups": [{"filters": [\#(one)]}]}"#),
                       ["description"])
        let group = #"{"filters": [\#(one)]}"#
        XCTAssertEqual(fields(#"{"name": "S", "groups": [\#(group), \#(group), \#(group)]}"#), ["groups"])
        XCTAssertEqual(fields(#"{"name": "S", "groups": [{"filters": [\#(one), \#(one), \#(one), \#(one)]}]}"#),
                       ["groups[0].filters"])
        XCTAssertEqual(fields(#"{"name": "S", "logic": "xor", "groups": [\#(group)]}"#), ["logic"])
        XCTAssertEqual(fields(filter("favourite_colour", "is", #""red""#)), ["groups[0].filters[0].field"])
        XCTAssertEqual(fields(filter("deals.total_size", "contains", "5")), ["groups[0].filters[0].operator"])
        XCTAssertEqual(fields(filter("deals.total_size", "between", "[5]")), ["groups[0].filters[0].value"])
        XCTAssertEqual(fields(filter("deals.total_size", "greater_than", #""5""#)), ["groups[0].filters[0].value"])
        XCTAssertEqual(fields(filter("created_at", "on", #""2026-02-30""#)), ["groups[0].filters[0].value"])
        XCTAssertEqual(fields(filter("created_at", "in_the_last_days", "0")), ["groups[0].filters[0].value"])
        XCTAssertEqual(fields(filter("full_name", "is", #""""#)), ["groups[0].filters[0].value"])
        XCTAssertEqual(fields(filter("full_name", "is_empty", #""x""#)), ["groups[0].filters[0].value"])
        XCTAssertEqual(fields(filter("marketing_opt_in_status", "equals", #""yes""#)), ["groups[0].filters[0].value"])
        XCTAssertEqual(fields(#"{"groups": []}"#), ["name", "groups"])
    }

    func testEveryFieldHasItsTypesOperators() {
        for field in SegmentFields.all {
            XCTAssertFalse(field.operators.isEmpty, field.key)
            switch field.type {
            case .text: XCTAssertTrue(field.operators.contains(.contains), field.key)
            case .date: XCTAssertTrue(field.operators.contains(.before), field.key)
            case .number, .percentage: XCTAssertTrue(field.operators.contains(.greaterThan), field.key)
            case .boolean: XCTAssertTrue(field.operators.contains(.equals), field.key)
            }
        }
        XCTAssertEqual(Set(SegmentFields.all.map(\.key)).count, SegmentFields.all.count, "keys are unique")
    }

    /// A rule joins only the per-contact views it reads: a rule on names computes no ticket or deal totals.
    func testTheQueryJoinsOnlyTheViewsTheRuleReads() {
        XCTAssertEqual(SegmentQuery.from(for: "lower(p.full_name) = ?"), "FROM customer_profiles p")
        let both = SegmentQuery.from(for: "(coalesce(tt.tickets, 0) > ? OR dt.total_size IS NULL)")
        XCTAssertTrue(both.contains("contact_ticket_totals tt") && both.contains("contact_deal_totals dt"), both)
        XCTAssertFalse(both.contains("contact_csat") || both.contains("customer_marketing_consent"), both)
        XCTAssertEqual(SegmentQuery.from(for: "EXISTS (SELECT 1 FROM matt v, docs w WHERE matt.x = docs.y)"),
                       "FROM customer_profiles p", "a name ending in an alias's letters is not that alias")
    }
}
