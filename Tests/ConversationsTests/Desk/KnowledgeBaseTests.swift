import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import XCTest

/// The internal knowledge base over HTTP: articles written, searched over title, body and tags, replaced, deleted.
final class KnowledgeBaseTests: XCTestCase {
    func testArticlesAreSearchedCaseInsensitivelyOverTitleBodyAndTags() throws {
        let gateway = try TestGateway.tickets()
        defer { gateway.shutdown() }
        let printer = try gateway.admin("POST", "/v1/kb/articles", body: #"{"title": "Printer offline", "body": "Restart the POS, then the printer.", "tags": ["hardware"]}"#)
        XCTAssertEqual(printer.status, 201, printer.text)
        let id = try XCTUnwrap(printer.json?["id"]?.int64Value)
        gateway.advance(minutes: 1)
        XCTAssertEqual(try gateway.admin("POST", "/v1/kb/articles", body: #"{"title": "Refunds", "body": "Refund 100% within 7 days", "tags": ["Billing"]}"#).status, 201)

        func titles(_ query: String) throws -> [String] {
            let response = try gateway.admin("GET", "/v1/kb/articles\(query)")
            XCTAssertEqual(response.status, 200, response.text)
            return response.json?["items"]?.arrayValue?.compactMap { $0["title"]?.stringValue } ?? []
        }
        XCTAssertEqual(try titles(""), ["Refunds", "Printer offline"], "most recently changed first")
        XCTAssertEqual(try titles("?q=PRINTER"), ["Printer offline"])
        XCTAssertEqual(try titles("?q=pos"), ["Printer offline"], "body")
        XCTAssertEqual(try titles("?q=billing"), ["Refunds"], "tags")
        XCTAssertEqual(try titles("?q=100%25"), ["Refunds"], "a % is searched as itself")
        XCTAssertEqual(try titles("?q=nothing-like-it"), [])

        let short = try gateway.admin("GET", "/v1/kb/articles?q=a")
        XCTAssertEqual(short.status, 400)
        XCTAssertEqual(ClientResponseSummary(short).fields, ["q"])
        let bad = try gateway.admin("POST", "/v1/kb/articles", body: #"{"title": "", "tags": "x"}"#)
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(ClientResponseSummary(bad).fields, ["title", "body", "tags"])
        XCTAssertEqual(try gateway.count("kb_articles"), 2)

        gateway.advance(minutes: 1)
        let replaced = try gateway.admin("PUT", "/v1/kb/articles/\(id)", body: #"{"title": "Printer offline", "body": "Check the cable first."}"#)
        XCTAssertEqual(replaced.status, 200, replaced.text)
        XCTAssertEqual(try titles(""), ["Printer offline", "Refunds"])
        XCTAssertEqual(try gateway.admin("DELETE", "/v1/kb/articles/\(id)").status, 204)
        XCTAssertEqual(try gateway.admin("GET", "/v1/kb/articles/\(id)").status, 404)
        XCTAssertEqual(try gateway.count("audit_events", "subject_type = 'kb_article'"), 4)
    }
}
