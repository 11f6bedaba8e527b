import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// Segment permissions reach ALL or OWNED by role: sales create segments and edit, refresh and archive their own,
/// see everyone's; admins change any; agents only see them.
final class SegmentOwnershipTests: XCTestCase {
    private let rule = #"{"name": "NAME", "groups": [{"filters": [{"field": "full_name", "operator": "is_not_empty", "value": null}]}]}"#

    func testSalesChangeOnlyTheSegmentsTheyCreated() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        let sales = try gateway.token(role: "sales", name: "sam")
        let other = try gateway.token(role: "sales", name: "sue")
        let agent = try gateway.token(role: "agent", name: "ann")
        let body = { (name: String) in self.rule.replacingOccurrences(of: "NAME", with: name) }

        let mine = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: body("Sam's"), token: sales).json?["id"]?.int64Value)
        let admins = try XCTUnwrap(try gateway.admin("POST", "/v1/segments", body: body("Admin's")).json?["id"]?.int64Value)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(mine)", token: sales).json?["created_by"], "sam")

        // Sam edits, refreshes and archives his own.
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/segments/\(mine)", body: body("Sam's leads"), token: sales).status, 200)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(mine)/refresh", token: sales).status, 202)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(mine)/archive", token: sales).status, 200)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(mine)/unarchive", token: sales).status, 200)

        // Not the admin's, nor Sue Sam's; both see them and may copy them.
        for (method, path) in [("PATCH", "/v1/segments/\(admins)"), ("POST", "/v1/segments/\(admins)/refresh"),
                               ("POST", "/v1/segments/\(admins)/archive")] {
            let refused = try gateway.admin(method, path, body: method == "PATCH" ? body("Mine now") : nil, token: sales)
            XCTAssertEqual(refused.status, 403, "\(method) \(path)")
            XCTAssertTrue(refused.text.contains("created by admin"), refused.text)
        }
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(mine)/archive", token: other).status, 403)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(admins)", token: sales).status, 200)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments/\(admins)/duplicate", token: sales).status, 201)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments/\(admins)", token: sales).json?["name"], "Admin's")

        // The admin changes anyone's; an agent only reads.
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/segments/\(mine)", body: body("Checked")).status, 200)
        XCTAssertEqual(try gateway.admin("GET", "/v1/segments", token: agent).status, 200)
        XCTAssertEqual(try gateway.admin("POST", "/v1/segments", body: body("Ann's"), token: agent).status, 403)
        XCTAssertEqual(try gateway.admin("GET", "/v1/session", token: sales).json?["owned_only"],
                       ["segments.archive", "segments.manage"])
    }
}
