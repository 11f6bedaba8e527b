import Foundation
import GatewayTesting
import XCTest

/// The console in WebKit — Safari's engine, here WebKitGTK's MiniBrowser driven by `WebKitWebDriver` on a virtual
/// display: the same agent's day as in Chromium (modules, the event stream, forms, the strict content policy), and
/// the language switch.
final class WebKitBrowserTests: BrowserTestCase {
    override class var engine: WebBrowser { .webkit }

    func testAnAgentsDayWorksInWebKit() throws {
        try agentWorksATicketThatArrivesLive()
    }

    func testTheLanguageSwitchWorksInWebKit() throws {
        try signedIn(as: "agent")
        try browser.choose("ms", in: "#bar select")
        try browser.wait(for: "#sign-out", containing: "Log keluar")
        try browser.wait(for: "nav a[data-nav=inbox]", containing: "Peti masuk")
    }
}
