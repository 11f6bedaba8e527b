import Foundation
import GatewayKit
import GatewayTesting
import HTTPClient
import XCTest

/// Credentials for tests: API tokens and console sessions made through the real routes with the bootstrap token.
extension TestGateway {
    /// A signed-in console session: the cookie header value and its CSRF token.
    package struct Session {
        package let cookie: String
        package let csrfToken: String

        package init(cookie: String, csrfToken: String) {
            self.cookie = cookie
            self.csrfToken = csrfToken
        }
    }

    /// A new API token's secret (`POST /v1/tokens` with the admin token).
    package func token(role: String, scope: [String] = [], name: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let body: JSONValue = ["name": .string(name ?? "\(role)-token"), "role": .string(role),
                               "scope": .array(scope.map(JSONValue.string))]
        let response = try admin("POST", "/v1/tokens", body: JSONWriter.string(body), file: file, line: line)
        XCTAssertEqual(response.status, 201, response.text, file: file, line: line)
        return try XCTUnwrap(response.json?["token"]?.stringValue, file: file, line: line)
    }

    /// Creates a user (`POST /v1/users`); returns its id.
    @discardableResult
    package func user(email: String, password: String = "correct horse battery", role: String,
                      scope: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> Int64 {
        let body: JSONValue = ["email": .string(email), "password": .string(password), "role": .string(role),
                               "scope": .array(scope.map(JSONValue.string))]
        let response = try admin("POST", "/v1/users", body: JSONWriter.string(body), file: file, line: line)
        XCTAssertEqual(response.status, 201, response.text, file: file, line: line)
        return try XCTUnwrap(response.json?["id"]?.int64Value, file: file, line: line)
    }

    /// `POST /v1/session` as it answers.
    package func signIn(email: String, password: String) throws -> ClientResponse {
        let body: JSONValue = ["email": .string(email), "password": .string(password)]
        return try request("POST", "/v1/session", headers: [("Content-Type", "application/json")],
                           body: JSONWriter.bytes(body))
    }

    /// Signs in and returns the session (failing the test when the sign-in is refused).
    package func session(email: String, password: String = "correct horse battery",
                         file: StaticString = #filePath, line: UInt = #line) throws -> Session {
        let response = try signIn(email: email, password: password)
        XCTAssertEqual(response.status, 201, response.text, file: file, line: line)
        let setCookie = try XCTUnwrap(response.header(named: "Set-Cookie"), file: file, line: line)
        let cookie = String(setCookie.prefix { $0 != ";" })
        return Session(cookie: cookie, csrfToken: try XCTUnwrap(response.json?["csrf_token"]?.stringValue))
    }

    /// A request made with a session cookie, with its CSRF token unless `csrf` is false.
    @discardableResult
    package func request(_ method: String, _ path: String, session: Session, body: String? = nil, csrf: Bool = true,
                         file: StaticString = #filePath, line: UInt = #line) throws -> ClientResponse {
        var headers = [("Content-Type", "application/json"), ("Cookie", session.cookie)]
        if csrf { headers.append(("X-CSRF-Token", session.csrfToken)) }
        return try request(method, path, headers: headers, body: body.map { Array($0.utf8) } ?? [], file: file,
                           line: line)
    }
}
