import Access
import Configuration
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import XCTest

/// Password guessing is braked per email and per address: after the limit, 429 with `Retry-After`, even for the right
/// password, until the window has passed.
final class LoginThrottleTests: XCTestCase {
    func testRepeatedFailuresAreRefusedUntilTheWindowPasses() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        try gateway.user(email: "target@example.com", role: "agent")
        for attempt in 1...5 {
            XCTAssertEqual(try gateway.signIn(email: "target@example.com", password: "guess \(attempt)").status, 401)
        }
        let throttled = try gateway.signIn(email: "target@example.com", password: "correct horse battery")
        XCTAssertEqual(throttled.status, 429)
        XCTAssertEqual(throttled.json?["type"]?.stringValue, "/problems/too-many-requests")
        let retryAfter = try XCTUnwrap(throttled.header(named: "Retry-After").flatMap(Int.init))
        XCTAssertTrue((1...900).contains(retryAfter), "\(retryAfter)")
        XCTAssertEqual(try gateway.rows("SELECT id FROM user_sessions").count, 0)

        gateway.clock.advance(milliseconds: 15 * 60_000 + 1)
        XCTAssertEqual(try gateway.signIn(email: "target@example.com", password: "correct horse battery").status, 201)
    }

    func testOneAddressGuessingManyEmailsIsBrakedToo() throws {
        let gateway = try TestGateway { $0.access.loginFailuresPerAddress = 3 }
        defer { gateway.shutdown() }
        for index in 1...3 {
            XCTAssertEqual(try gateway.signIn(email: "user\(index)@example.com", password: "guess guess").status, 401)
        }
        XCTAssertEqual(try gateway.signIn(email: "user9@example.com", password: "guess guess").status, 429)
    }

    func testMalformedSignInsNameTheField() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        for (body, field) in [(#"{"email": "a@b.c"}"#, "password"), (#"{"password": "x"}"#, "email"),
                              (#"{"email": 5, "password": "x"}"#, "email"),
                              (#"{"email": "a@b.c", "password": "x", "otp": 1}"#, "otp")] {
            let response = try gateway.request("POST", "/v1/session", body: Array(body.utf8))
            XCTAssertEqual(response.status, 400, body)
            let fields = response.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            XCTAssertTrue(fields.contains(field), "\(body): \(fields)")
        }
    }
}
