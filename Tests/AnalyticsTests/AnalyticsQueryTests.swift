import Analytics
import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// Bad parameters are named; days follow a zone with daylight saving.
final class AnalyticsQueryTests: XCTestCase {
    private var gateway: TestGateway!

    override func tearDown() { gateway = nil }

    func testUnknownGroupingsParametersBadDatesAndRangesAreNamed() throws {
        gateway = try TestGateway { $0.analytics.maxRangeDays = 31 }
        func field(_ query: String) throws -> [String] {
            let response = try gateway.admin("GET", "/v1/analytics/\(query)")
            XCTAssertEqual(response.status, 400, query)
            XCTAssertEqual(response.header(named: "Content-Type"), "application/problem+json", query)
            return (response.json?["errors"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue }
        }
        XCTAssertEqual(try field("tickets?group_by=hour"), ["group_by"])
        XCTAssertEqual(try field("backlog?group_by=agent"), ["group_by"], "the backlog is grouped by time only")
        XCTAssertEqual(try field("tickets?group_by=day,week"), ["group_by"])
        XCTAssertEqual(try field("tickets?from=2026-11-30&to=2026-11-01"), ["from"])
        XCTAssertEqual(try field("tickets?from=2026-01-01&to=2026-11-30"), ["to"])
        XCTAssertEqual(try field("tickets?from=01/11/2026&to=2026-11-30"), ["from"])
        XCTAssertEqual(try field("csat?from=2026-11-01&to=2026-11-02T00:00:00Z"), ["to"])
        XCTAssertEqual(try field("outlets?limit=0&sort=desc"), ["sort", "limit"])
        XCTAssertEqual(try gateway.admin("GET", "/v1/analytics/unknown").status, 404)
        let empty = try gateway.admin("GET", "/v1/analytics/tickets?from=2026-11-01&to=2026-11-30&group_by=day")
        XCTAssertEqual(empty.status, 200)
        XCTAssertEqual(empty.json?["rows"], [])
        XCTAssertEqual(empty.json?["totals"]?["opened"], 0)
        XCTAssertEqual(empty.json?["totals"]?["reopen_rate"], .null)
    }

    func testDaysFollowAZoneWithDaylightSaving() throws {
        gateway = try TestGateway { $0.analytics.timeZone = "Europe/Berlin" }
        let fixture = AnalyticsFixture(gateway: gateway)
        // 2026-03-29: clocks go from 02:00 to 03:00 in Berlin; the day has 23 hours.
        for opened in ["2026-03-28T23:30:00+00:00", "2026-03-29T21:30:00+00:00", "2026-03-29T22:30:00+00:00",
                       "2026-03-28T22:59:00+00:00"] {
            try fixture.ticket(.init(opened: opened))
        }
        let answer = try XCTUnwrap(try gateway.admin("GET", "/v1/analytics/tickets?from=2026-03-28&to=2026-03-30&group_by=day").json)
        let byDay = Dictionary(uniqueKeysWithValues: (answer["rows"]?.arrayValue ?? []).map {
            ($0["period"]?.stringValue ?? "", $0["opened"]?.int64Value ?? 0)
        })
        // 23:30Z on the 28th is 00:30 CET on the 29th; 21:30Z on the 29th is 23:30 CEST; 22:30Z is 00:30 on the 30th.
        XCTAssertEqual(byDay, ["2026-03-28": 1, "2026-03-29": 2, "2026-03-30": 1])
    }
}

/// A ticket that goes through the real desk (webhook, reply, resolution) shows up in the figures.
final class AnalyticsDeskFlowTests: WhatsAppGatewayTestCase {
    func testATicketWorkedThroughTheDeskIsCounted() throws {
        let id = try gateway.openTicket("my order is late")
        gateway.advance(minutes: 2)
        XCTAssertEqual(try gateway.reply(id, #"{"actor": "agent-7", "text": "Checking now."}"#).status, 202)
        gateway.advance(minutes: 30)
        try gateway.move(id, to: "resolved")
        let today = CalendarDate(unixMillis: gateway.clock.now, in: TimeZone(identifier: "Asia/Kuala_Lumpur")!)
        let answer = try XCTUnwrap(try gateway.admin(
            "GET", "/v1/analytics/response-times?from=\(today.adding(days: -1))&to=\(today)").json)
        XCTAssertEqual(answer["totals"]?["opened"], 1)
        XCTAssertEqual(answer["totals"]?["frt"]?["median_seconds"], 120)
        XCTAssertEqual(answer["totals"]?["art"]?["median_seconds"], 1_900, "32 minutes, to the bucket of 10 s")
        XCTAssertEqual(answer["totals"]?["frt"]?["within_sla"], 1)

        // The histograms the alert rules read.
        let metrics = gateway.app.metrics.render()
        XCTAssertTrue(metrics.contains(#"gateway_ticket_first_response_seconds_bucket{queue="support",le="120"} 1"#),
                      metrics)
        XCTAssertTrue(metrics.contains(#"gateway_ticket_resolution_seconds_count{queue="support"} 1"#))
        let rules = try String(contentsOfFile: TestGateway.repositoryFile("Config/alerts/desk.rules.yml"), encoding: .utf8)
        for metric in Set(rules.matches(of: /gateway_[a-z_]+/).map { String($0.output) }) {
            let series = metric.hasSuffix("_bucket") ? String(metric.dropLast(7)) : metric
            XCTAssertTrue(metrics.contains("\n\(series)"), "the alert rules name \(metric), which /metrics does not expose")
        }
    }
}
