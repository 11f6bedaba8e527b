import Access
import Configuration
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// Console sessions: the cookie's attributes, CSRF on every state-changing request, sign-out, idle and absolute
/// expiry, and a disabled user shut out at once.
final class SessionTests: XCTestCase {
    func testSignInSetsAStrictHttpOnlyCookieAndTheSessionActsAsTheUser() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        let id = try gateway.user(email: "Aisyah@Example.com", role: "agent", scope: ["F1"])

        let wrong = try gateway.signIn(email: "aisyah@example.com", password: "not the password")
        XCTAssertEqual(wrong.status, 401)
        let unknown = try gateway.signIn(email: "nobody@example.com", password: "not the password")
        XCTAssertEqual(unknown.json?["detail"], wrong.json?["detail"], "one answer, whether or not the email exists")

        let response = try gateway.signIn(email: "AISYAH@example.com", password: "correct horse battery")
        XCTAssertEqual(response.status, 201, response.text)
        let cookie = try XCTUnwrap(response.header(named: "Set-Cookie"))
        XCTAssertTrue(cookie.hasPrefix("gateway_session=gws_"), cookie)
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            XCTAssertTrue(cookie.contains(attribute), "\(attribute) in \(cookie)")
        }
        XCTAssertFalse(cookie.contains("Secure"), "plain HTTP without a TLS proxy setting")
        XCTAssertEqual(response.json?["user"]?["role"]?.stringValue, "agent")
        XCTAssertNil(response.json?["user"]?["password_hash"])

        let session = try gateway.session(email: "aisyah@example.com")
        let me = try gateway.request("GET", "/v1/session", session: session, csrf: false)
        XCTAssertEqual(me.status, 200, me.text)
        XCTAssertEqual(me.json?["actor"]?.stringValue, "aisyah@example.com")
        XCTAssertEqual(me.json?["kind"]?.stringValue, "session")
        XCTAssertEqual(me.json?["user_id"]?.int64Value, id)
        XCTAssertEqual(me.json?["scope"], ["F1"])
        XCTAssertEqual(me.json?["csrf_token"]?.stringValue, session.csrfToken)
        XCTAssertEqual(try gateway.request("GET", "/v1/dead-letters", session: session).status, 403)

        let audit = try gateway.rows("SELECT actor, action, credential_id FROM audit_events WHERE action LIKE 'session.%'")
        XCTAssertEqual(audit.count, 2)
        XCTAssertEqual(audit.first?["actor"], "aisyah@example.com")
        XCTAssertTrue(audit.first?["credential_id"]?.hasPrefix("session:") ?? false)
    }

    func testStateChangingRequestsWithTheCookieNeedTheCSRFToken() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        try gateway.user(email: "sam@example.com", role: "sales")
        let session = try gateway.session(email: "sam@example.com")
        let body = #"{"name": "Lead", "room_id": "r1"}"#
        let missing = try gateway.request("POST", "/v1/deals", session: session, body: body, csrf: false)
        XCTAssertEqual(missing.status, 403)
        XCTAssertTrue(missing.text.contains("X-CSRF-Token"), missing.text)
        let forged = TestGateway.Session(cookie: session.cookie, csrfToken: "forged")
        XCTAssertEqual(try gateway.request("POST", "/v1/deals", session: forged, body: body).status, 403)
        XCTAssertEqual(try gateway.rows("SELECT id FROM deals").count, 0, "nothing written without the token")
        let made = try gateway.request("POST", "/v1/deals", session: session, body: body)
        XCTAssertEqual(made.status, 201, made.text)
        XCTAssertEqual(try gateway.request("GET", "/v1/deals", session: session, csrf: false).status, 200,
                       "reads need no CSRF token")
    }

    func testSignOutIdleAndAbsoluteExpiryAndDisablingEndTheSession() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        let id = try gateway.user(email: "rina@example.com", role: "renewal")

        let first = try gateway.session(email: "rina@example.com")
        let signedOut = try gateway.request("DELETE", "/v1/session", session: first)
        XCTAssertEqual(signedOut.status, 204)
        XCTAssertTrue(signedOut.header(named: "Set-Cookie")?.contains("Max-Age=0") ?? false)
        XCTAssertEqual(try gateway.request("GET", "/v1/session", session: first).status, 401)

        let idle = try gateway.session(email: "rina@example.com")
        gateway.clock.advance(milliseconds: 29 * 60_000)
        XCTAssertEqual(try gateway.request("GET", "/v1/renewals", session: idle).status, 200, "use keeps it alive")
        // The sighting is written off the request's path, at most once a minute.
        let seen = String(gateway.clock.now)
        eventually("last_seen_at moved") {
            try gateway.rows("SELECT last_seen_at FROM user_sessions").contains { $0["last_seen_at"] == seen }
        }
        gateway.clock.advance(milliseconds: 29 * 60_000)
        XCTAssertEqual(try gateway.request("GET", "/v1/renewals", session: idle).status, 200)
        gateway.clock.advance(milliseconds: 31 * 60_000)
        XCTAssertEqual(try gateway.request("GET", "/v1/renewals", session: idle).status, 401, "idle 31 minutes")

        let long = try gateway.session(email: "rina@example.com")
        for _ in 0..<24 {
            gateway.clock.advance(milliseconds: 29 * 60_000)
            XCTAssertEqual(try gateway.request("GET", "/v1/session", session: long).status, 200)
            let seen = String(gateway.clock.now)
            eventually("last_seen_at moved") {
                try gateway.rows("SELECT last_seen_at FROM user_sessions").contains { $0["last_seen_at"] == seen }
            }
        }
        gateway.clock.advance(milliseconds: 29 * 60_000)
        XCTAssertEqual(try gateway.request("GET", "/v1/session", session: long).status, 401, "over 12 hours")

        let disabled = try gateway.session(email: "rina@example.com")
        XCTAssertEqual(try gateway.admin("PATCH", "/v1/users/\(id)", body: #"{"disabled": true}"#).status, 200)
        XCTAssertEqual(try gateway.request("GET", "/v1/session", session: disabled).status, 401)
        XCTAssertEqual(try gateway.signIn(email: "rina@example.com", password: "correct horse battery").status, 401)
    }

    func testTheCookieIsSecureWhenTheGatewayServesHTTPS() throws {
        let certificates = try TestCertificates()
        let issued = try certificates.issue(commonName: "gateway")
        let gateway = try TestGateway { config in
            config.server.tlsCert = issued.certificatePath
            config.server.tlsKey = issued.keyPath
        }
        defer { gateway.shutdown() }
        let base = "https://127.0.0.1:\(gateway.app.port)"
        let json = ["--cacert", certificates.caPath, "-H", "Content-Type: application/json"]
        let user = #"{"email": "tls@example.com", "password": "correct horse battery", "role": "agent"}"#
        let created = try TestCurl.get(base + "/v1/users", json + ["-H", "Authorization: Bearer \(TestGateway.adminToken)",
                                                                   "--data", user])
        XCTAssertEqual(created.response?.status, 201, created.trace)
        let signIn = try TestCurl.get(base + "/v1/session",
                                      json + ["--data", #"{"email": "tls@example.com", "password": "correct horse battery"}"#])
        XCTAssertEqual(signIn.response?.status, 201, signIn.trace)
        let cookie = try XCTUnwrap(signIn.response?.header("Set-Cookie"))
        XCTAssertTrue(cookie.hasSuffix("; Secure"), cookie)
        XCTAssertNotNil(signIn.response?.header("Strict-Transport-Security"))
    }

    func testSecureCookiesBehindATLSProxy() throws {
        let gateway = try TestGateway { $0.access.secureCookies = true }
        defer { gateway.shutdown() }
        try gateway.user(email: "ops@example.com", role: "admin")
        let response = try gateway.signIn(email: "ops@example.com", password: "correct horse battery")
        XCTAssertTrue(response.header(named: "Set-Cookie")?.hasSuffix("; Secure") ?? false)
    }
}
