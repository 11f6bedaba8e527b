import Foundation
import GatewayTestSupport
import GatewayTesting
import XCTest

/// `gateway token create` and `gateway user create` on the real binary: the secret alone on stdout, the password never
/// on the command line, bad input refused with the field named, every creation audited as `cli`.
final class AccessCommandTests: XCTestCase {
    func testTheCommandLineCreatesTokensAndUsers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-access-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("gateway.sqlite").path
        let environment = ["GATEWAY_DB": database]

        let (code, out, err) = try GatewayProcess.run(
            ["token", "create", "--name", "crm-sync", "--role", "sales", "--scope", "F1,F2/O9", "--expires", "90d"],
            environment: environment)
        XCTAssertEqual(code, 0, err)
        let secret = out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(secret.hasPrefix("gwt_") && !secret.contains("\n"), out)
        XCTAssertTrue(err.contains("shown once"), err)

        let (userCode, userOut, userErr) = try GatewayProcess.run(
            ["user", "create", "--email", "Owner@Example.com", "--role", "admin"],
            environment: environment.merging(["GATEWAY_USER_PASSWORD": "correct horse battery"]) { $1 })
        XCTAssertEqual(userCode, 0, userErr)
        XCTAssertTrue(userOut.contains("owner@example.com"), userOut)

        let weak = try GatewayProcess.run(["user", "create", "--email", "x@example.com", "--role", "agent"],
                                          environment: environment.merging(["GATEWAY_USER_PASSWORD": "short"]) { $1 })
        XCTAssertEqual(weak.0, 65)
        XCTAssertTrue(weak.2.contains("password"), weak.2)
        let badRole = try GatewayProcess.run(["token", "create", "--name", "x", "--role", "root"],
                                             environment: environment)
        XCTAssertEqual(badRole.0, 65)
        XCTAssertTrue(badRole.2.contains("role"), badRole.2)
        let unnamed = try GatewayProcess.run(["token", "create", "--role", "agent", "--scope", "F1/O1"],
                                             environment: environment)
        XCTAssertEqual(unnamed.0, 0, "the contract's form, without a name: \(unnamed.2)")
        XCTAssertEqual(try GatewayProcess.run(["token", "list"], environment: environment).0, 64)
        XCTAssertEqual(try GatewayProcess.run(["token", "create", "--email", "x"], environment: environment).0, 64)

        let tokens = try DatabaseInspector.rows(path: database,
                                                sql: "SELECT role, expires_at, token_hash, name FROM api_tokens ORDER BY id")
        XCTAssertEqual(tokens.count, 2)
        XCTAssertEqual(tokens.last?["name"], "cli agent token")
        XCTAssertEqual(tokens[0]["role"], "sales")
        XCTAssertNotNil(tokens[0]["expires_at"])
        XCTAssertNotEqual(tokens[0]["token_hash"], secret)
        let scope = try DatabaseInspector.rows(path: database,
                                               sql: "SELECT fid, oid FROM api_token_scope WHERE token_id = 1 ORDER BY rowid")
        XCTAssertEqual(scope.map { "\($0["fid"] ?? "")/\($0["oid"] ?? "")" }, ["F1/", "F2/O9"])
        let audit = try DatabaseInspector.rows(path: database, sql: "SELECT actor, action FROM audit_events ORDER BY id")
        XCTAssertEqual(audit.map { $0["action"] }, ["token.created", "user.created", "token.created"])
        XCTAssertEqual(Set(audit.compactMap { $0["actor"] }), ["cli"])
    }
}
