import Configuration
import GatewayTestSupport
import HTTPClient
import XCTest

/// How the gateway serves the console's files over plain HTTP: the page at each of its addresses, the assets with
/// their types, the security and caching headers, and no way out of the console's folder.
final class ConsoleServingTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws { gateway = try TestGateway() }
    override func tearDown() { gateway.shutdown() }

    func testEveryPageAddressAnswersTheAppWithAStrictPolicyAndRevalidation() throws {
        for path in ["/console", "/console/", "/console/login", "/console/inbox", "/console/operations",
                     "/console/setup", "/console/renewals", "/console/tickets/42",
                     "/console/contacts/cus_01a245d473f0b750ffde8d2a"] {
            let page = try gateway.request("GET", path)
            XCTAssertEqual(page.status, 200, path)
            XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8", path)
            XCTAssertTrue(page.text.contains(#"<script type="module" src="/console/assets/app.js">"#), path)
            assertSecurityHeaders(page, path)
            XCTAssertEqual(page.header("Cache-Control"), "no-cache", path)
        }
        let page = try gateway.request("GET", "/console/inbox")
        XCTAssertFalse(page.text.contains("<script>"), "no inline script")
        XCTAssertFalse(page.text.contains("style="), "no inline style")
        let etag = try XCTUnwrap(page.header("ETag"))
        let again = try gateway.request("GET", "/console/inbox", headers: [("If-None-Match", etag)])
        XCTAssertEqual(again.status, 304)
        XCTAssertTrue(again.body.isEmpty)
        XCTAssertEqual(try gateway.request("GET", "/console/inbox", headers: [("If-None-Match", "\"other\"")]).status, 200)
    }

    func testAssetsCarryTheirContentTypeAndCacheForFiveMinutes() throws {
        let types = ["app.js": "text/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8",
                     "icon.svg": "image/svg+xml", "i18n.js": "text/javascript; charset=utf-8"]
        for (name, type) in types {
            let asset = try gateway.request("GET", "/console/assets/\(name)")
            XCTAssertEqual(asset.status, 200, name)
            XCTAssertEqual(asset.header("Content-Type"), type, name)
            XCTAssertEqual(asset.header("Cache-Control"), "public, max-age=300, must-revalidate", name)
            XCTAssertNotNil(asset.header("ETag"), name)
            assertSecurityHeaders(asset, name)
        }
        let script = try gateway.request("GET", "/console/assets/app.js")
        XCTAssertEqual(try gateway.request("GET", "/console/assets/app.js",
                                           headers: [("If-None-Match", script.header("ETag") ?? "")]).status, 304)
    }

    /// Nothing outside the console's folder, and nothing but plain names inside it, however the path is spelled.
    func testPathsThatTryToLeaveTheFolderAreRefused() throws {
        let refused: [(String, Int)] = [
            ("/console/assets/..%2F..%2FPackage.swift", 400), ("/console/assets/%2e%2e/Package.swift", 400),
            ("/console/assets/..%2Findex.html", 400), ("/console/assets/%2Fetc%2Fpasswd", 400),
            ("/console/assets/.htaccess", 404), ("/console/assets/app.JS", 404), ("/console/assets/App.js", 404),
            ("/console/assets/app.js.map", 404), ("/console/assets/missing.js", 404),
            ("/console/assets/app%00.js", 400), ("/console/assets/app.js%20", 404), ("/console/assets/ap%5Cp.js", 404),
            ("/console/index.html", 404), ("/console/assets", 404), ("/console/unknown", 404),
            ("/console/tickets/a.b", 404), ("/console/tickets/1%2F..", 400), ("/console/tickets/\(String(repeating: "1", count: 65))", 404),
            ("/console/users/1", 404), ("/console/contacts/a%20b", 404), ("/console/contacts/%3Cscript%3E", 404),
            ("/console/Package.swift", 404),
        ]
        for (path, status) in refused {
            let response = try gateway.request("GET", path)
            XCTAssertEqual(response.status, status, "\(path): \(response.text)")
            XCTAssertEqual(response.header("Content-Type"), "application/problem+json", path)
            XCTAssertFalse(response.text.contains("swift-tools-version"), path)
        }
        XCTAssertEqual(try gateway.request("POST", "/console/inbox").status, 405)
        // (A literal `/../` never arrives: the client resolves it before sending, to /Package.swift — no route.)
        XCTAssertEqual(try gateway.request("GET", "/console/../Package.swift").status, 404)
    }

    func testAMissingFolderLeavesTheConsoleUnservedAndTheGatewayRunning() throws {
        let bare = try TestGateway { $0.console.directory = "/nonexistent/console" }
        defer { bare.shutdown() }
        let page = try bare.request("GET", "/console/inbox")
        XCTAssertEqual(page.status, 404)
        XCTAssertTrue(page.text.contains("not installed"), page.text)
        XCTAssertEqual(try bare.request("GET", "/healthz").status, 200)
    }

    private func assertSecurityHeaders(_ response: ClientResponse, _ what: String,
                                       file: StaticString = #filePath, line: UInt = #line) {
        let policy = response.header("Content-Security-Policy") ?? ""
        XCTAssertTrue(policy.hasPrefix("default-src 'self';"), "\(what): \(policy)", file: file, line: line)
        XCTAssertFalse(policy.contains("unsafe-inline"), what, file: file, line: line)
        XCTAssertTrue(policy.contains("frame-ancestors 'none'"), what, file: file, line: line)
        XCTAssertEqual(response.header("X-Content-Type-Options"), "nosniff", what, file: file, line: line)
    }
}
