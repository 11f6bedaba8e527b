import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPTesting
import XCTest

/// A test case driving the console in one real browser — headless Chromium unless the class names another ``engine``
/// — shared by all the tests of the class (starting a browser costs about a second), against a fresh in-process
/// gateway per test.
class BrowserTestCase: XCTestCase {
    nonisolated(unsafe) private static var driver: BrowserDriver?
    nonisolated(unsafe) private static var shared: WebDriverSession?
    /// The browser engine the class's tests run in.
    class var engine: WebBrowser { .chromium }
    static let desktop = (width: 1280, height: 800)
    static let phone = (width: 390, height: 844)
    static let password = "correct horse battery"

    var gateway: TestGateway!
    /// The stand-in Cloud API: accepts every message (`wamid.M0`, `wamid.M1`, …) and serves the customers' files
    /// of ``media``.
    var cloud: StubSink!
    let media = CloudMediaLibrary()
    var browser: WebDriverSession!

    override class func tearDown() {
        shared?.quit()
        shared = nil
        driver?.stop()
        driver = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        guard Self.engine.isInstalled else {
            return XCTFail("\(Self.engine) and its WebDriver are needed: bash scripts/install-deps.sh")
        }
        if Self.driver?.browser != Self.engine {
            Self.shared?.quit()
            Self.driver?.stop()
            Self.shared = nil
        }
        if Self.shared == nil {
            let driver = try BrowserDriver(Self.engine)
            Self.driver = driver
            Self.shared = try WebDriverSession(driver: driver, width: Self.desktop.width, height: Self.desktop.height)
        }
        browser = Self.shared
        let media = self.media
        cloud = try StubSink { index, request in media.reply(index, request) }
        media.serve(at: cloud.url)
        // The gateway's clock starts at the browser's time, so the page's countdowns and the 24-hour window agree
        // with what the gateway decides.
        gateway = try TestGateway.whatsApp(cloud, clockStart: Int64(Date().timeIntervalSince1970 * 1000),
                                           configure: configure)
        try browser.open(gateway.baseURL + "/console/login")
        try browser.deleteCookies()
        try browser.run("localStorage.clear()")
        try browser.resize(width: Self.desktop.width, height: Self.desktop.height)
    }

    /// What a test class changes in the gateway's configuration (outbound endpoints, …).
    func configure(_ config: inout GatewayConfig) {}

    override func tearDown() {
        gateway?.shutdown()
        cloud = nil
    }

    /// Opens a console address and waits until its page has drawn its data.
    func open(_ path: String, page: String? = nil) throws {
        try browser.open(gateway.baseURL + path)
        if let page { try waitForPage(page) }
    }

    func waitForPage(_ page: String, timeout: TimeInterval = 10) throws {
        try browser.wait(for: "body[data-page=\"\(page)\"][data-ready]", timeout: timeout)
    }

    /// Fills in the sign-in form on the login page and submits it.
    func signIn(_ email: String, password: String = BrowserTestCase.password) throws {
        try browser.wait(for: "form.login")
        try browser.type(email, into: "#login-email")
        try browser.type(password, into: "#login-password")
        try browser.click("form.login button[type=submit]")
    }

    /// A user of `role` signed in through the page, left on `path`.
    func signedIn(as role: String, email: String? = nil, at path: String = "/console/inbox",
                  page: String = "inbox") throws {
        let email = email ?? "\(role)@example.com"
        try gateway.user(email: email, password: Self.password, role: role)
        try open("/console/login?next=\(path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path)")
        try signIn(email)
        try waitForPage(page)
    }

    /// The current page at 1280×800 and at 390×844, as `<name>-desktop.png` / `-phone.png`: into `docs/screenshots`
    /// with `CONSOLE_SCREENSHOTS=1` (the pictures show dates, so a plain test run leaves the committed ones alone),
    /// into a temporary folder otherwise.
    func capture(_ name: String, ready page: String) throws {
        let folder = ProcessInfo.processInfo.environment["CONSOLE_SCREENSHOTS"] == "1"
            ? URL(fileURLWithPath: TestGateway.repositoryFile("docs/screenshots"))
            : FileManager.default.temporaryDirectory.appendingPathComponent("console-screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (suffix, size) in [("desktop", Self.desktop), ("phone", Self.phone)] {
            try browser.resize(width: size.width, height: size.height)
            try waitForPage(page)
            try browser.screenshot().write(to: folder.appendingPathComponent("\(name)-\(suffix).png"))
        }
        try browser.resize(width: Self.desktop.width, height: Self.desktop.height)
    }

    /// The page's first contentful paint and the moment it had drawn its data (ms since navigation), printed for
    /// BENCHMARKS.md.
    @discardableResult
    func recordTiming(_ page: String) throws -> (paint: Double, ready: Double) {
        // The paint entry is queued a moment after the paint itself.
        try browser.wait(until: "return performance.getEntriesByName('first-contentful-paint').length > 0",
                         "the first contentful paint of \(page)")
        let values = try browser.run("""
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            const ready = performance.getEntriesByName('console-ready')[0];
            return [paint ? paint.startTime : -1, ready ? ready.startTime : -1];
            """).arrayValue ?? []
        let paint = values.first?.doubleValue ?? -1
        let ready = values.last?.doubleValue ?? -1
        print("console-timing page=\(page) first_contentful_paint_ms=\(Int(paint)) ready_ms=\(Int(ready))")
        XCTAssertGreaterThan(paint, 0, "\(page) painted")
        return (paint, ready)
    }
}
