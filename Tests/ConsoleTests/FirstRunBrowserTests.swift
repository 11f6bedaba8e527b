import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// The first start of the real `gateway` binary with no users and no `ADMIN_TOKEN`: it prints a one-time link that
/// creates the first admin — once, and only then — and nothing when an admin token is set or it listens beyond the
/// machine.
final class FirstRunBrowserTests: BrowserTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-first-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
        super.tearDown()
    }

    func testTheSetupCodeCreatesTheFirstAdminOnceAndOnlyThen() throws {
        let (process, base, code) = try freshGateway()
        defer { process.signal(SIGTERM); _ = process.waitForExit() }
        XCTAssertEqual(try post(base + "/v1/setup", ["code": "0123456789abcdef0123456789abcdef",
                                                     "email": "owner@example.com", "password": .string(Self.password)]).status, 403)
        let invalid = try post(base + "/v1/setup", ["code": .string(code), "email": "not-an-email", "password": "short",
                                                    "role": "agent"])
        XCTAssertEqual(invalid.status, 400)
        XCTAssertEqual(Set(ClientResponseSummary(invalid).fields), ["role"], "the role is refused first")
        let weak = try post(base + "/v1/setup", ["code": .string(code), "email": "owner@example.com", "password": "short"])
        XCTAssertEqual(ClientResponseSummary(weak).fields, ["password"])

        let created = try post(base + "/v1/setup", ["code": .string(code), "email": "owner@example.com",
                                                    "password": .string(Self.password)])
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(created.json?["role"]?.stringValue, "admin")
        XCTAssertEqual(try post(base + "/v1/setup", ["code": .string(code), "email": "second@example.com",
                                                     "password": .string(Self.password)]).status, 403, "the code works once")
        XCTAssertEqual(try post(base + "/v1/session", ["email": "owner@example.com", "password": .string(Self.password)]).status, 201)
        process.signal(SIGTERM)
        XCTAssertEqual(process.waitForExit(), 0)

        // With a user in the database, the next start prints no link.
        let again = try start([:])
        defer { again.signal(SIGTERM); _ = again.waitForExit() }
        XCTAssertNotNil(again.waitForPort())
        XCTAssertFalse(again.stderr.contains("first_run_setup"), again.stderr)
    }

    func testNoLinkWithAnAdminTokenOrBeyondTheLoopback() throws {
        for environment in [["ADMIN_TOKEN": "an-operator-token"], ["GATEWAY_HOST": "0.0.0.0"]] {
            let process = try start(environment)
            XCTAssertNotNil(process.waitForPort(), process.stderr)
            XCTAssertFalse(process.stderr.contains("first_run_setup"), "\(environment): \(process.stderr)")
            process.signal(SIGTERM)
            _ = process.waitForExit()
        }
    }

    func testTheSetupPageCreatesTheAdminWhoThenSignsIn() throws {
        let (process, base, code) = try freshGateway()
        defer { process.signal(SIGTERM); _ = process.waitForExit() }
        try browser.open(base + "/console/setup?code=\(code)")
        try browser.wait(for: "form#setup")
        try capture("setup", ready: "setup")
        try browser.type("owner@example.com", into: "#setup-email")
        try browser.type("short", into: "#setup-password")
        try browser.click("form#setup button[type=submit]")
        try browser.wait(for: "#setup-error", containing: "password")
        try browser.type(Self.password, into: "#setup-password")
        try browser.click("form#setup button[type=submit]")
        try browser.wait(for: "form.login .notice", containing: "The admin was created.")
        try signIn("owner@example.com")
        try waitForPage("inbox")
        XCTAssertTrue(try browser.text(of: ".bar nav").contains("Operations"))
        try browser.open(base + "/console/setup?code=\(code)")
        try browser.type("again@example.com", into: "#setup-email")
        try browser.type(Self.password, into: "#setup-password")
        try browser.click("form#setup button[type=submit]")
        try browser.wait(for: "#setup-error", containing: "not valid any more")
    }

    /// A gateway on a new database, and the setup code of the link it printed.
    private func freshGateway() throws -> (GatewayProcess, String, String) {
        let process = try start([:])
        let port = try XCTUnwrap(process.waitForPort(), process.stderr)
        let line = try XCTUnwrap(process.stderr.split(separator: "\n").first { $0.contains("first_run_setup") },
                                 process.stderr)
        XCTAssertTrue(line.contains("http://127.0.0.1:<port>/console/setup?code="), String(line))
        let code = try XCTUnwrap(line.firstMatch(of: /code=([0-9a-f]{32})/)?.1)
        return (process, "http://127.0.0.1:\(port)", String(code))
    }

    private func start(_ environment: [String: String]) throws -> GatewayProcess {
        try GatewayProcess(arguments: ["serve"], environment: [
            "GATEWAY_PORT": "0", "GATEWAY_DB": folder.appendingPathComponent("gateway.sqlite").path,
        ].merging(environment) { _, given in given })
    }

    private func post(_ url: String, _ body: JSONValue) throws -> ClientResponse {
        try gateway.client.perform(ClientRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                                                 body: JSONWriter.bytes(body))).get()
    }
}
