import Foundation
import GatewayKit

/// One browser driven through its ``BrowserDriver``: open an address, find elements by CSS selector, click,
/// type, run a script, wait for something to show, take a screenshot. Waits poll the page rather than sleep.
public final class WebDriverSession: @unchecked Sendable {
    /// A found element (the W3C element reference).
    public struct Element: Sendable {
        /// The W3C name of an element reference's key.
        static let key = "element-6066-11e4-a52e-4f735466cecf"
        let id: String
    }

    private let driver: BrowserDriver
    private let path: String

    /// Starts a browser of `width`×`height` CSS pixels with a fresh profile.
    public init(driver: BrowserDriver, width: Int = 1280, height: Int = 800) throws {
        self.driver = driver
        let value = try driver.command("POST", "/session", driver.browser.capabilities(width: width, height: height),
                                       timeout: 60)
        guard let id = value["sessionId"]?.stringValue else { throw WebDriverError(message: "no session id") }
        path = "/session/\(id)"
        try resize(width: width, height: height)
    }

    /// Closes the browser.
    public func quit() { _ = try? driver.command("DELETE", path) }

    public func open(_ url: String) throws { _ = try driver.command("POST", path + "/url", ["url": .string(url)]) }

    public var currentURL: String { get throws { try driver.command("GET", path + "/url").stringValue ?? "" } }

    /// Sets the viewport to `width`×`height` CSS pixels (the window is resized until its inner size matches).
    public func resize(width: Int, height: Int) throws {
        var outer = (width: width, height: height)
        for _ in 0..<3 {
            _ = try driver.command("POST", path + "/window/rect",
                                   ["width": .integer(Int64(outer.width)), "height": .integer(Int64(outer.height))])
            let inner = try run("return [window.innerWidth, window.innerHeight]").arrayValue ?? []
            guard inner.count == 2, let w = inner[0].int64Value, let h = inner[1].int64Value else { return }
            if Int(w) == width && Int(h) == height { return }
            outer = (outer.width + width - Int(w), outer.height + height - Int(h))
        }
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns what it returns.
    @discardableResult
    public func run(_ script: String, _ args: [JSONValue] = []) throws -> JSONValue {
        try driver.command("POST", path + "/execute/sync", ["script": .string(script), "args": .array(args)])
    }

    /// Runs `script`, whose last argument is a callback it calls with its result (for promises, `import()`).
    @discardableResult
    public func runAsync(_ script: String, _ args: [JSONValue] = []) throws -> JSONValue {
        try driver.command("POST", path + "/execute/async", ["script": .string(script), "args": .array(args)])
    }

    /// Forgets every cookie of the current page's site (between tests sharing one browser: cookies are not kept
    /// apart by port).
    public func deleteCookies() throws { _ = try driver.command("DELETE", path + "/cookie") }

    /// The first element matching `selector`, or nil.
    public func find(_ selector: String) throws -> Element? { try findAll(selector).first }

    /// Every element matching `selector`, in document order.
    public func findAll(_ selector: String) throws -> [Element] {
        let found = try driver.command("POST", path + "/elements", ["using": "css selector", "value": .string(selector)])
        return (found.arrayValue ?? []).compactMap { $0[Element.key]?.stringValue.map(Element.init) }
    }

    /// Waits up to `timeout` seconds for an element matching `selector` (and, when given, the first of them
    /// containing `text`).
    @discardableResult
    public func wait(for selector: String, containing text: String? = nil, timeout: TimeInterval = 10) throws -> Element {
        let deadline = Date().addingTimeInterval(timeout)
        var lastText = ""
        repeat {
            for element in try findAll(selector) {
                guard let text else { return element }
                lastText = (try? self.text(element)) ?? ""
                if lastText.contains(text) { return element }
            }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        // The page as the reader sees it: its text is far shorter than its markup, so the whole page fits.
        let page = (try? run("return location.href + '\\n' + document.body.innerText").stringValue) ?? ""
        throw WebDriverError(message: "no \(selector)\(text.map { " containing \"\($0)\"" } ?? "") within \(timeout) s"
                             + (lastText.isEmpty ? "" : " (it shows \"\(lastText.prefix(300))\")")
                             + "; the page: \(page.prefix(4000))")
    }

    /// Waits until `script` returns true.
    public func wait(until script: String, _ what: String, timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if try run(script).boolValue == true { return }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        throw WebDriverError(message: "\(what) did not happen within \(timeout) s")
    }

    public func click(_ element: Element) throws { _ = try driver.command("POST", path + "/element/\(element.id)/click") }

    public func click(_ selector: String, containing text: String? = nil) throws {
        try click(wait(for: selector, containing: text))
    }

    /// Types `text` into the element (after clearing it).
    public func type(_ text: String, into selector: String) throws {
        let element = try wait(for: selector)
        _ = try driver.command("POST", path + "/element/\(element.id)/clear")
        _ = try driver.command("POST", path + "/element/\(element.id)/value", ["text": .string(text)])
    }

    /// Chooses the option with `value` in a `<select>` (as a user would, firing `change`).
    public func choose(_ value: String, in selector: String) throws {
        try click(wait(for: "\(selector) option[value=\"\(value)\"]"))
    }

    /// Presses and releases one key (WebDriver key codes: `"\u{E004}"` is Tab, `"\u{E007}"` Enter).
    public func press(_ key: String) throws {
        let actions: JSONValue = ["actions": [["type": "key", "id": "keyboard", "actions": [
            ["type": "keyDown", "value": .string(key)], ["type": "keyUp", "value": .string(key)],
        ]]]]
        _ = try driver.command("POST", path + "/actions", actions)
    }

    public func text(_ element: Element) throws -> String {
        try driver.command("GET", path + "/element/\(element.id)/text").stringValue ?? ""
    }

    public func text(of selector: String) throws -> String { try text(wait(for: selector)) }

    /// A PNG of the viewport.
    public func screenshot() throws -> Data {
        guard let encoded = try driver.command("GET", path + "/screenshot").stringValue,
              let data = Data(base64Encoded: encoded) else { throw WebDriverError(message: "no screenshot") }
        return data
    }
}
