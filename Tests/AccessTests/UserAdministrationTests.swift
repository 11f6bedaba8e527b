import GatewayKit
import GatewayTestSupport
import HTTPClient
import XCTest

/// Users are managed by admins only, and a scoped admin can neither see nor grant beyond its own scope: no way up
/// through the user and token routes.
final class UserAdministrationTests: XCTestCase {
    func testOnlyAdminsManageUsersAndTokens() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        for role in ["agent", "sales", "renewal"] {
            let token = try gateway.token(role: role)
            let user = #"{"email": "evil@example.com", "password": "correct horse battery", "role": "admin"}"#
            XCTAssertEqual(try gateway.admin("POST", "/v1/users", body: user, token: token).status, 403, role)
            XCTAssertEqual(try gateway.admin("POST", "/v1/tokens", body: #"{"name": "x", "role": "admin"}"#,
                                             token: token).status, 403, role)
            XCTAssertEqual(try gateway.admin("GET", "/v1/audit", token: token).status, 403, role)
        }
        XCTAssertEqual(try gateway.rows("SELECT id FROM users").count, 0)
    }

    func testAScopedAdminGrantsAndSeesOnlyInsideItsScope() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        let outside = try gateway.user(email: "other@example.com", role: "agent", scope: ["F2"])
        let inside = try gateway.user(email: "mine@example.com", role: "agent", scope: ["F1/O1"])
        let scopedAdmin = try gateway.token(role: "admin", scope: ["F1"])

        let listed = try gateway.admin("GET", "/v1/users", token: scopedAdmin).json?["items"]?.arrayValue ?? []
        XCTAssertEqual(listed.compactMap { $0["id"]?.int64Value }, [inside])
        XCTAssertEqual(try gateway.admin("GET", "/v1/users/\(outside)", token: scopedAdmin).status, 404)
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/users/\(outside)", body: #"{"role": "admin"}"#,
                                         token: scopedAdmin).status, 404)

        for scope in [#"[]"#, #"["F2"]"#, #"["/O1"]"#] {
            let body = #"{"email": "new@example.com", "password": "correct horse battery", "role": "agent", "scope": "#
                + scope + "}"
            let refused = try gateway.admin("POST", "/v1/users", body: body, token: scopedAdmin)
            XCTAssertEqual(refused.status, 400, scope)
            XCTAssertEqual(refused.json?["errors"]?.arrayValue?.first?["field"]?.stringValue, "scope")
            let token = try gateway.admin("POST", "/v1/tokens", body: #"{"name": "x", "role": "agent", "scope": "#
                                          + scope + "}", token: scopedAdmin)
            XCTAssertEqual(token.status, 400, scope)
        }
        let widen = try gateway.admin("PATCH", "/v1/users/\(inside)", body: #"{"scope": []}"#, token: scopedAdmin)
        XCTAssertEqual(widen.status, 400)
        let narrowed = try gateway.admin("PATCH", "/v1/users/\(inside)", body: #"{"scope": ["F1/O2"], "role": "sales"}"#,
                                         token: scopedAdmin)
        XCTAssertEqual(narrowed.status, 200, narrowed.text)
        XCTAssertEqual(narrowed.json?["scope"], ["F1/O2"])
        XCTAssertEqual(narrowed.json?["role"]?.stringValue, "sales")
        let audit = try gateway.rows("SELECT detail FROM audit_events WHERE action = 'user.updated'")
        XCTAssertEqual(audit.count, 1)
        XCTAssertTrue(audit[0]["detail"]?.contains(#""previous_role":"agent""#) ?? false, audit.description)
    }

    func testUserBodiesAreCheckedAndEmailsAreUnique() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        try gateway.user(email: "first@example.com", role: "agent")
        let duplicate = #"{"email": "FIRST@example.com", "password": "correct horse battery", "role": "agent"}"#
        XCTAssertEqual(try gateway.admin("POST", "/v1/users", body: duplicate).status, 409)
        let cases: [(String, String)] = [
            (#"{"email": "no-at-sign", "password": "correct horse battery", "role": "agent"}"#, "email"),
            (#"{"email": "a@example.com", "password": "short", "role": "agent"}"#, "password"),
            (#"{"email": "a@example.com", "password": "correct horse battery", "role": "owner"}"#, "role"),
            (#"{"email": "a@example.com", "password": "correct horse battery"}"#, "role"),
        ]
        for (body, field) in cases {
            let response = try gateway.admin("POST", "/v1/users", body: body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(response.json?["errors"]?.arrayValue?.first?["field"]?.stringValue, field, body)
        }
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/users/1", body: "{}").status, 400)
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/users/99", body: #"{"name": "x"}"#).status, 404)
        XCTAssertEqual(try gateway.rows("SELECT id FROM users").count, 1)
    }
}
