import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// Signing in and out of the console in real Chromium: back to the page that asked, the navigation a role gets, a
/// page the role cannot open, an ended session, and the language switch.
final class SessionBrowserTests: BrowserTestCase {
    func testSignInReturnsToTheAskedPageAndTheRoleDecidesWhatIsShown() throws {
        try gateway.user(email: "agent@example.com", password: Self.password, role: "agent")
        try open("/console/inbox?queue=sales")
        try browser.wait(for: "form.login")
        XCTAssertTrue(try browser.currentURL.contains("/console/login?next=%2Fconsole%2Finbox%3Fqueue%3Dsales"))
        try recordTiming("login")
        try capture("login", ready: "login")

        try signIn("agent@example.com", password: "not the password")
        try browser.wait(for: "#login-error", containing: "The email or password is not right.")
        try signIn("agent@example.com")
        try waitForPage("inbox")
        XCTAssertTrue(try browser.currentURL.hasSuffix("/console/inbox?queue=sales"))
        XCTAssertEqual(try browser.text(of: "button[aria-pressed=true]"), "Sales")
        let navigation = try browser.text(of: ".bar nav")
        XCTAssertTrue(navigation.contains("Inbox"), navigation)
        XCTAssertFalse(navigation.contains("Operations"), "an agent is not shown the operations page")
        XCTAssertTrue(try browser.text(of: ".bar .who").contains("agent@example.com"))

        // Typing the address does not help: the page says so, and the API refuses the data anyway.
        try open("/console/operations", page: "operations")
        try browser.wait(for: "[role=alert]", containing: "Your role cannot open this page.")
        let session = try gateway.session(email: "agent@example.com", password: Self.password)
        XCTAssertEqual(try gateway.request("GET", "/v1/dead-letters", session: session).status, 403)

        try browser.click("#sign-out")
        try browser.wait(for: "form.login .notice", containing: "You have signed out.")
        try open("/console/inbox")
        try browser.wait(for: "form.login")
    }

    func testAnEndedSessionAsksToSignInAgainAndComesBack() throws {
        try signedIn(as: "agent", at: "/console/inbox?queue=renewals")
        // Idle for longer than the session's idle expiry (30 minutes): the next request is refused.
        gateway.clock.advance(seconds: 31 * 60)
        try browser.click(".tabs button[data-queue=support]")
        try browser.wait(for: "form.login .notice", containing: "Your session has ended.")
        try signIn("agent@example.com")
        try waitForPage("inbox")
        let url = try browser.currentURL
        XCTAssertTrue(url.hasSuffix("/console/inbox?queue=support&status=open"), url)
    }

    func testTheLanguageSwitchRedrawsEveryStringAndIsRemembered() throws {
        try signedIn(as: "admin")
        XCTAssertTrue(try browser.text(of: ".bar nav").contains("Operations"), "an admin sees the operations page")
        try browser.choose("ms", in: "#language")
        try browser.wait(for: ".bar nav", containing: "Peti masuk")
        XCTAssertEqual(try browser.text(of: "h1"), "Peti masuk")
        XCTAssertEqual(try browser.text(of: "#sign-out"), "Log keluar")
        XCTAssertEqual(try browser.text(of: "label[for=filter-status]"), "Status")
        XCTAssertEqual(try browser.run("return document.documentElement.lang").stringValue, "ms")
        try open("/console/inbox", page: "inbox")
        XCTAssertEqual(try browser.text(of: "h1"), "Peti masuk", "the choice survives a reload")
        // Every string exists in both languages.
        let missing = try browser.runAsync("""
            const done = arguments[arguments.length - 1];
            import('/console/assets/i18n.js').then((module) => done(module.missingTranslations()));
            """)
        XCTAssertEqual(missing.arrayValue?.count, 0, "strings without a translation: \(missing)")
        try browser.choose("en", in: "#language")
        try browser.wait(for: "h1", containing: "Inbox")
    }

    /// Every control on the sign-in page and in the shell has a label, and the keyboard reaches them in order with a
    /// visible focus ring.
    func testControlsAreLabelledAndReachableByKeyboard() throws {
        try signedIn(as: "admin")
        let unlabelled = try browser.run("""
            return [...document.querySelectorAll('input, select, textarea')]
              .filter((control) => !(control.labels && control.labels.length) && !control.getAttribute('aria-label'))
              .map((control) => control.outerHTML);
            """)
        XCTAssertEqual(unlabelled.arrayValue?.count, 0, "controls without a label: \(unlabelled)")
        // On a freshly loaded page the first Tab reaches the skip link, the next ones the navigation.
        try open("/console/inbox", page: "inbox")
        try browser.press("\u{E004}")
        XCTAssertEqual(try browser.run("return document.activeElement.className").stringValue, "skip")
        try browser.press("\u{E004}")
        let focus = try browser.run("""
            const active = document.activeElement;
            const style = getComputedStyle(active);
            return [active.closest('.bar nav') !== null, style.outlineStyle, style.outlineWidth];
            """).arrayValue ?? []
        XCTAssertEqual(focus.first?.boolValue, true, "\(focus)")
        XCTAssertEqual(focus.dropFirst().first?.stringValue, "solid", "a visible focus ring")
        XCTAssertEqual(focus.last?.stringValue, "3px")
    }
}
