import Foundation
import GatewayTesting
import XCTest

/// The console in WebKit — Safari's engine, here WebKitGTK's MiniBrowser driven by `WebKitWebDriver` on a virtual
/// display: the same agent's day as in Chromium (modules, the event stream, forms, the strict content policy), and
/// the language switch.
final class WebKitBrowserTests: BrowserTestCase {
    override class var engine: WebBrowser { .webkit }

    func testAnAgentsDayWorksInWebKit() throws { try agentWorksATicketThatArrivesLive() }

    func testTheLanguageSwitchWorksInWebKit() throws { try languageSwitchRedrawsTheBar() }
}

/// The console in Firefox (headless, driven over its Marionette protocol): the same agent's day and language switch.
final class FirefoxBrowserTests: BrowserTestCase {
    override class var engine: WebBrowser { .firefox }

    func testAnAgentsDayWorksInFirefox() throws { try agentWorksATicketThatArrivesLive() }

    func testTheLanguageSwitchWorksInFirefox() throws { try languageSwitchRedrawsTheBar() }
}

extension BrowserTestCase {
    /// An agent switches to Bahasa Malaysia: the top bar is drawn again in it.
    func languageSwitchRedrawsTheBar() throws {
        try signedIn(as: "agent")
        try browser.choose("ms", in: "#bar select")
        try browser.wait(for: "#sign-out", containing: "Log keluar")
        try browser.wait(for: "nav a[data-nav=inbox]", containing: "Peti masuk")
    }
}
