import GatewayKit
import HTTPClient
import GatewayTestSupport
import XCTest

/// `GET /v1/audit`: newest first, filtered, paged by cursor, bad parameters named; the table refuses updates.
final class AuditLogTests: XCTestCase {
    func testTheLogFiltersAndPages() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        for index in 1...3 { _ = try gateway.token(role: "agent", name: "bot-\(index)") }
        try gateway.user(email: "lead@example.com", role: "sales")

        let all = try gateway.admin("GET", "/v1/audit")
        XCTAssertEqual(all.status, 200)
        let actions = all.json?["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue }
        XCTAssertEqual(actions, ["user.created", "token.created", "token.created", "token.created"])
        XCTAssertEqual(all.json?["next_cursor"], .null)
        let first = try XCTUnwrap(all.json?["items"]?.arrayValue?.first)
        XCTAssertEqual(first["detail"]?["role"]?.stringValue, "sales")
        XCTAssertNil(first["detail"]?["password"], "no secrets or personal data in the detail")
        XCTAssertFalse(all.text.contains("lead@example.com"), "the subject is an id, not the email")
        XCTAssertEqual(first["source_ip"]?.stringValue, "127.0.0.1")
        XCTAssertNotNil(first["request_id"]?.stringValue)

        let page = try gateway.admin("GET", "/v1/audit?action=token.created&limit=2")
        let cursor = try XCTUnwrap(page.json?["next_cursor"]?.stringValue)
        XCTAssertEqual(page.json?["items"]?.arrayValue?.count, 2)
        let rest = try gateway.admin("GET", "/v1/audit?action=token.created&limit=2&cursor=\(cursor)")
        XCTAssertEqual(rest.json?["items"]?.arrayValue?.count, 1)
        XCTAssertEqual(try gateway.admin("GET", "/v1/audit?subject_type=user&actor=admin").json?["items"]?
            .arrayValue?.count, 1)
        XCTAssertEqual(try gateway.admin("GET", "/v1/audit?from=2030-01-01T00:00:00Z").json?["items"]?
            .arrayValue?.count, 0)

        for (query, field) in [("limit=0", "limit"), ("cursor=x", "cursor"), ("from=yesterday", "from"),
                               ("who=me", "who"), ("action=", "action")] {
            let response = try gateway.admin("GET", "/v1/audit?\(query)")
            XCTAssertEqual(response.status, 400, query)
            XCTAssertEqual(response.json?["errors"]?.arrayValue?.first?["field"]?.stringValue, field, query)
        }
    }
}
