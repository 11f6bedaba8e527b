import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import Ingress
import XCTest

/// The figures as CSV tables: the same numbers as the JSON, nested figures as columns, cells from users neutralized.
final class AnalyticsCSVTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws {
        gateway = try TestGateway(clockStart: AnalyticsFixture.at("2026-11-10T12:00:00+08:00"))
        let fixture = AnalyticsFixture(gateway: gateway)
        try fixture.ticket(.init(opened: "2026-11-02T10:00:00+08:00", status: "resolved", category: "=HYPERLINK(\"x\")",
                                 agent: "ali", fid: "F1", oid: "O1", firstResponse: 60, resolution: 3_600, ratings: [5]))
        try fixture.ticket(.init(opened: "2026-11-03T10:00:00+08:00", category: "login, \"urgent\"", agent: "siti",
                                 fid: "F1", oid: "O1", firstResponse: 120))
    }

    override func tearDown() { gateway = nil }

    private func table(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String]] {
        let response = try gateway.admin("GET", "/v1/analytics/\(path)", file: file, line: line)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        XCTAssertEqual(response.header(named: "Content-Type"), "text/csv; charset=utf-8", file: file, line: line)
        return try CSVRecords.parse(response.body).map(\.fields)
    }

    func testVolumeByDayAndCategoryWithUsersCellsNeutralized() throws {
        let rows = try table("tickets.csv?from=2026-11-01&to=2026-11-30&group_by=day,category")
        XCTAssertEqual(rows.first, ["period", "category", "opened", "reopen_rate", "reopened"])
        XCTAssertEqual(Array(rows.dropFirst()), [
            ["2026-11-02", "'=HYPERLINK(\"x\")", "1", "0.0", "0"],
            ["2026-11-03", "login, \"urgent\"", "1", "0.0", "0"],
        ])
        let response = try gateway.admin("GET", "/v1/analytics/tickets.csv?from=2026-11-01&to=2026-11-30")
        XCTAssertEqual(response.header(named: "Content-Disposition"),
                       "attachment; filename=\"analytics-tickets-2026-11-01-2026-11-30.csv\"")
    }

    func testNestedFiguresAndMonthsBecomeColumns() throws {
        let times = try table("response-times.csv?from=2026-11-01&to=2026-11-30&group_by=agent")
        let header = try XCTUnwrap(times.first)
        XCTAssertEqual(Array(header.prefix(2)), ["agent", "art_median_seconds"])
        let ali = try XCTUnwrap(times.first { $0.first == "ali" })
        XCTAssertEqual(ali[header.firstIndex(of: "frt_median_seconds")!], "60")
        XCTAssertEqual(ali[header.firstIndex(of: "art_median_seconds")!], "3600")
        let siti = try XCTUnwrap(times.first { $0.first == "siti" })
        XCTAssertEqual(siti[header.firstIndex(of: "art_median_seconds")!], "", "no resolution yet: an empty cell")

        let outlets = try table("outlets.csv?from=2026-10-15&to=2026-11-30")
        XCTAssertEqual(outlets.first, ["fid", "high_touch", "oid", "outlet", "tickets", "tickets_2026-10-01",
                                       "tickets_2026-11-01"])
        XCTAssertEqual(outlets.dropFirst().first, ["F1", "0", "O1", "F1/O1", "2", "0", "2"])
        XCTAssertEqual(try table("backlog.csv?from=2026-11-08&to=2026-11-09").first?.prefix(3),
                       ["period", "at", "ages_1d_to_3d"])
    }

    func testAnEmptyRangeIsAHeaderAndBadParametersAreNamed() throws {
        let response = try gateway.admin("GET", "/v1/analytics/csat.csv?from=2026-01-01&to=2026-01-31&group_by=day&bom=true")
        XCTAssertEqual(Array(response.body.prefix(3)), CSVWriter.byteOrderMark)
        XCTAssertEqual(try CSVRecords.parse(response.body).count, 1, "the header only")
        for (query, field) in [("bom=yes", "bom"), ("group_by=hour", "group_by"), ("from=2026-11-02&to=2026-11-01", "from")] {
            let bad = try gateway.admin("GET", "/v1/analytics/csat.csv?\(query)")
            XCTAssertEqual(bad.status, 400, query)
            XCTAssertEqual(bad.json?["errors"]?.arrayValue?.first?["field"]?.stringValue, field, query)
        }
    }
}
