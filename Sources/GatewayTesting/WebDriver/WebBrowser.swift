import Foundation
import GatewayKit

/// A browser engine the console's tests drive with WebDriver's commands: Chromium through `chromedriver` (headless),
/// WebKit — Safari's engine — through WebKitGTK's `WebKitWebDriver` and its MiniBrowser, which needs a display (a
/// virtual one, Xvfb, is started for it), and Firefox (headless) through its own Marionette protocol, which carries
/// the same commands (``MarionetteConnection``). Debian packages: `chromium chromium-driver`, `webkit2gtk-driver
/// xvfb`, `firefox-esr` (`scripts/install-deps.sh`).
public enum WebBrowser: String, Sendable, CaseIterable {
    case chromium
    case webkit
    case firefox

    /// The driver program.
    var driver: String {
        switch self {
        case .chromium: "/usr/bin/chromedriver"
        case .webkit: "/usr/bin/WebKitWebDriver"
        case .firefox: binary  // Firefox answers Marionette itself
        }
    }

    /// The browser program the driver starts.
    var binary: String {
        switch self {
        case .chromium: "/usr/bin/chromium"
        case .webkit: "/usr/lib/\(Self.multiarch)/webkit2gtk-4.1/MiniBrowser"
        case .firefox: "/usr/bin/firefox-esr"
        }
    }

    /// Programs besides the two that must be installed.
    var helpers: [String] { self == .webkit ? [VirtualDisplay.executable] : [] }

    /// Whether the driver, the browser and their helpers are installed.
    public var isInstalled: Bool {
        ([driver, binary] + helpers).allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The driver's command-line arguments for `port`.
    func driverArguments(port: UInt16) -> [String] {
        switch self {
        case .chromium: ["--port=\(port)", "--allowed-ips=127.0.0.1", "--log-level=SEVERE"]
        case .webkit: ["--port=\(port)", "--host=127.0.0.1"]
        case .firefox: ["--marionette", "--headless", "--no-remote"]  // the port is in the profile
        }
    }

    /// The `capabilities` of a new session with a fresh profile and a `width`×`height` window.
    func capabilities(width: Int, height: Int) -> JSONValue {
        switch self {
        case .chromium:
            let arguments: [JSONValue] = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                          "--disable-extensions", "--no-first-run", "--hide-scrollbars",
                                          .string("--window-size=\(width),\(height)")]
            return ["capabilities": ["alwaysMatch": [
                "browserName": "chrome", "pageLoadStrategy": "normal",
                "goog:chromeOptions": ["binary": .string(binary), "args": .array(arguments)],
            ]]]
        case .webkit:
            return ["capabilities": ["alwaysMatch": [
                "pageLoadStrategy": "normal",
                "webkitgtk:browserOptions": ["binary": .string(binary), "args": ["--automation"]],
            ]]]
        case .firefox:
            return ["capabilities": ["alwaysMatch": ["pageLoadStrategy": "normal"]]]
        }
    }

    private static let multiarch: String = {
        #if arch(arm64)
        "aarch64-linux-gnu"
        #else
        "x86_64-linux-gnu"
        #endif
    }()
}
