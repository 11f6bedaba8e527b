import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import XCTest

/// API tokens through the real server: shown once, stored as a digest, listed without the secret, their role and
/// expiry enforced, revoked at once, every change in the audit log.
final class APITokenTests: XCTestCase {
    func testATokenWorksForItsRoleUntilRevoked() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        let secret = try gateway.token(role: "agent", name: "support-bot")
        XCTAssertTrue(secret.hasPrefix("gwt_"))

        XCTAssertEqual(try gateway.admin("GET", "/v1/tickets", token: secret).status, 200)
        let forbidden = try gateway.admin("GET", "/v1/dead-letters", token: secret)
        XCTAssertEqual(forbidden.status, 403)
        XCTAssertTrue(forbidden.text.contains("delivery.manage"), forbidden.text)

        let list = try gateway.admin("GET", "/v1/tokens")
        XCTAssertEqual(list.status, 200)
        XCTAssertFalse(list.text.contains(secret), "the secret is never listed")
        let listed = try XCTUnwrap(list.json?["items"]?.arrayValue?.first)
        XCTAssertEqual(listed["name"]?.stringValue, "support-bot")
        XCTAssertEqual(listed["role"]?.stringValue, "agent")
        XCTAssertEqual(listed["status"]?.stringValue, "active")
        XCTAssertEqual(listed["prefix"]?.stringValue, String(secret.prefix(10)))
        let stored = try gateway.rows("SELECT token_hash FROM api_tokens")
        XCTAssertEqual(stored.count, 1)
        XCTAssertNotEqual(stored[0]["token_hash"], secret)
        XCTAssertFalse(try gateway.rows("SELECT * FROM api_tokens").description.contains(secret))

        let id = try XCTUnwrap(listed["id"]?.int64Value)
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/tokens/\(id)").json?["status"]?.stringValue, "revoked")
        let revoked = try gateway.admin("GET", "/v1/tickets", token: secret)
        XCTAssertEqual(revoked.status, 401)
        XCTAssertTrue(revoked.text.contains("revoked"), revoked.text)
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/tokens/\(id)").status, 200, "revoking again changes nothing")
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/tokens/999").status, 404)

        let audit = try gateway.rows("SELECT actor, credential_id, action, subject_id FROM audit_events ORDER BY id")
        XCTAssertEqual(audit.map { $0["action"] }, ["token.created", "token.revoked"])
        XCTAssertEqual(audit.map { $0["actor"] }, ["admin", "admin"])
        XCTAssertEqual(audit.map { $0["credential_id"] }, ["bootstrap", "bootstrap"])
        XCTAssertEqual(audit.map { $0["subject_id"] }, [String(id), String(id)])
    }

    func testExpiredMalformedAndMissingCredentialsAre401() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        let created = try gateway.admin("POST", "/v1/tokens",
                                        body: #"{"name": "short", "role": "sales", "expires_in": "1h"}"#)
        XCTAssertEqual(created.status, 201)
        XCTAssertNotNil(created.json?["expires_at"]?.stringValue)
        let secret = try XCTUnwrap(created.json?["token"]?.stringValue)
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals", token: secret).status, 200)
        gateway.clock.advance(milliseconds: 3_600_001)
        let expired = try gateway.admin("GET", "/v1/deals", token: secret)
        XCTAssertEqual(expired.status, 401)
        XCTAssertTrue(expired.text.contains("expired"), expired.text)

        let forged = "gwt_" + String(repeating: "A", count: 43)
        for token in [forged, "nonsense", String(secret.dropLast()), ""] {
            let response = try gateway.admin("GET", "/v1/deals", token: token)
            XCTAssertEqual(response.status, 401, token)
            XCTAssertEqual(response.header(named: "WWW-Authenticate"), #"Bearer realm="gateway""#)
        }
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals", token: nil).status, 401)
        let basic = try gateway.request("GET", "/v1/deals", headers: [("Authorization", "Basic YTpi")])
        XCTAssertEqual(basic.status, 401)
    }

    func testBadTokenRequestsNameTheField() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        let cases: [(String, String)] = [
            (#"{"role": "agent"}"#, "name"),
            (#"{"name": "x", "role": "root"}"#, "role"),
            (#"{"name": "x", "role": "agent", "scope": ["F 1"]}"#, "scope[0]"),
            (#"{"name": "x", "role": "agent", "expires_in": "forever"}"#, "expires_in"),
            (#"{"name": "x", "role": "agent", "expires_in": "9999d"}"#, "expires_in"),
            (#"{"name": "x", "role": "agent", "owner": "me"}"#, "owner"),
            (#"[]"#, "(body)"),
        ]
        for (body, field) in cases {
            let response = try gateway.admin("POST", "/v1/tokens", body: body)
            XCTAssertEqual(response.status, 400, body)
            let fields = response.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            XCTAssertTrue(fields.contains(field), "\(body): \(fields)")
        }
        XCTAssertEqual(try gateway.admin("POST", "/v1/tokens", body: "{").status, 400)
        XCTAssertEqual(try gateway.rows("SELECT id FROM api_tokens").count, 0, "nothing written")
        XCTAssertEqual(try gateway.rows("SELECT id FROM audit_events").count, 0)
    }
}
