import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import XCTest

/// Users and API tokens in real Chromium: an admin creates an agent scoped to an outlet and deactivates them,
/// creates a token whose secret is shown once (and works), then revokes it; an agent has no such page.
final class UsersBrowserTests: BrowserTestCase {
    func testAnAdminCreatesAUserAndATokenShownOnceThenRevokesIt() throws {
        try signedIn(as: "admin", at: "/console/users", page: "users")
        try browser.wait(for: "nav a[data-nav=users]", containing: "Users & tokens")
        try browser.wait(for: "#users tr[data-user=\"admin@example.com\"]", containing: "Active")
        XCTAssertNil(try browser.find("#users tr[data-user=\"admin@example.com\"] button"), "no switch to lock oneself out")

        try browser.type("nadia@example.com", into: "#user-email")
        try browser.type("Nadia", into: "#user-name")
        try browser.choose("agent", in: "#user-role")
        try browser.type("F1/O7", into: "#user-scope")
        try browser.type("short", into: "#user-password")
        try browser.run("document.querySelector('#user-password').removeAttribute('minlength')")
        try browser.click("#user-form button[type=submit]")
        try browser.wait(for: "#user-error", containing: "password")
        XCTAssertNil(try browser.find("#users tr[data-user=\"nadia@example.com\"]"), "a refused user is not created")
        try browser.type("a long enough password", into: "#user-password")
        try browser.click("#user-form button[type=submit]")
        try browser.wait(for: "#users tr[data-user=\"nadia@example.com\"]", containing: "F1/O7")
        XCTAssertEqual(try gateway.signIn(email: "nadia@example.com", password: "a long enough password").status, 201)

        try browser.click("#users tr[data-user=\"nadia@example.com\"] button.deactivate")
        try browser.wait(for: "#users tr[data-user=\"nadia@example.com\"]", containing: "Deactivated")
        XCTAssertEqual(try gateway.signIn(email: "nadia@example.com", password: "a long enough password").status, 401)

        try browser.wait(for: "#tokens td", containing: "No API tokens.")
        try browser.type("crm-sync", into: "#token-name")
        try browser.choose("agent", in: "#token-role")
        try browser.type("30d", into: "#token-expires-in")
        try browser.click("#token-form button[type=submit]")
        let secret = try browser.text(of: "#token-secret-value")
        XCTAssertTrue(secret.hasPrefix("gwt_"), secret)
        try browser.wait(for: "#tokens tr[data-token=crm-sync][data-status=active]")
        XCTAssertFalse(try browser.text(of: "#tokens").contains(secret), "the list never shows the secret")
        let works = try gateway.request("GET", "/v1/tickets", headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertEqual(works.status, 200, works.text)

        // Once dismissed, the secret is nowhere on the page, and reloading does not bring it back.
        try browser.click("#token-secret-done")
        XCTAssertFalse(try browser.run("return document.body.innerText").stringValue?.contains(secret) ?? true)
        try open("/console/users", page: "users")
        try recordTiming("users")
        try browser.wait(for: "#tokens tr[data-token=crm-sync]")
        XCTAssertFalse(try browser.run("return document.body.innerText").stringValue?.contains(secret) ?? true)
        try capture("users", ready: "users")

        try browser.click("#tokens tr[data-token=crm-sync] button.revoke")
        try browser.wait(for: "#tokens tr[data-token=crm-sync][data-status=revoked]")
        XCTAssertNil(try browser.find("#tokens tr[data-token=crm-sync] button.revoke"))
        let refused = try gateway.request("GET", "/v1/tickets", headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertEqual(refused.status, 401)
    }

    func testAnAgentHasNoUsersPage() throws {
        try signedIn(as: "agent", at: "/console/users", page: "users")
        try browser.wait(for: "main", containing: "Your role cannot open this page.")
        XCTAssertNil(try browser.find("nav a[data-nav=users]"))
    }
}
