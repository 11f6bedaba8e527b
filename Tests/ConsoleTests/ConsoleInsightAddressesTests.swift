import HTTPClient
import GatewayTestSupport
import XCTest

/// The analytics and segments pages have their addresses: the list, one segment and the builder answer the app; the
/// analytics page has no record pages, and a segment's address takes a plain id only.
final class ConsoleInsightAddressesTests: XCTestCase {
    func testTheAnalyticsAndSegmentsAddressesAnswerTheApp() throws {
        let gateway = try TestGateway()
        defer { gateway.shutdown() }
        for path in ["/console/analytics", "/console/segments", "/console/segments/12", "/console/segments/new"] {
            let page = try gateway.request("GET", path)
            XCTAssertEqual(page.status, 200, path)
            XCTAssertTrue(page.text.contains(#"<script type="module" src="/console/assets/app.js">"#), path)
        }
        for path in ["/console/analytics/1", "/console/segments/a.b", "/console/campaigns"] {
            XCTAssertEqual(try gateway.request("GET", path).status, 404, path)
        }
        for asset in ["analytics.js", "analytics-figures.js", "chart.js", "problems.js", "segments.js",
                      "segment-builder.js", "segment-detail.js", "campaign.js", "poll.js"] {
            let file = try gateway.request("GET", "/console/assets/\(asset)")
            XCTAssertEqual(file.status, 200, asset)
            XCTAssertEqual(file.header("Content-Type"), "text/javascript; charset=utf-8", asset)
        }
    }
}
