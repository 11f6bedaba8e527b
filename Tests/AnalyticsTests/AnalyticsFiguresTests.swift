import Analytics
import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import HTTPClient
import Ingress
import Storage
import XCTest

/// Each figure worked out by hand on five tickets in Kuala Lumpur (UTC+8), one of them opened ten minutes after
/// local midnight (still the previous day in UTC). "Now" is 2026-11-10 12:00 local.
///
/// | ticket | opened (local) | category | agent | outlet | first response | resolved after | CSAT |
/// |---|---|---|---|---|---|---|---|
/// | A | 11-02 10:00 | billing | ali | F1/O1 | 60 s (target 300) | 3,600 s | 5 |
/// | B | 11-02 12:00 | billing | ali | F1/O1 | 600 s (breached) | 7,200 s | sent, no answer |
/// | C | 11-03 00:10 | login | siti | F1/O2 | 120 s | open | |
/// | D | 11-10 09:00 | billing | siti | none | none | open, reopened once | |
/// | E (lead) | 11-10 11:00 | none | manager | F1/O1 | none | open | |
final class AnalyticsFiguresTests: XCTestCase {
    private var gateway: TestGateway!
    private var fixture: AnalyticsFixture!

    override func setUpWithError() throws {
        gateway = try TestGateway(clockStart: AnalyticsFixture.at("2026-11-10T12:00:00+08:00")) { config in
            config.analytics.highTouchTickets = 3
            config.analytics.winbackAfterDays = 5
        }
        fixture = AnalyticsFixture(gateway: gateway)
        try fixture.ticket(.init(opened: "2026-11-02T10:00:00+08:00", status: "resolved", category: "billing",
                                 agent: "ali", fid: "F1", oid: "O1", firstResponse: 60, resolution: 3_600, ratings: [5]))
        try fixture.ticket(.init(opened: "2026-11-02T12:00:00+08:00", status: "resolved", category: "billing",
                                 agent: "ali", fid: "F1", oid: "O1", firstResponse: 600, resolution: 7_200,
                                 ratings: [nil]))
        try fixture.ticket(.init(opened: "2026-11-03T00:10:00+08:00", category: "login", agent: "siti", fid: "F1",
                                 oid: "O2", firstResponse: 120))
        try fixture.ticket(.init(opened: "2026-11-10T09:00:00+08:00", category: "billing", agent: "siti", reopens: 1))
        let lead = try fixture.ticket(.init(opened: "2026-11-10T11:00:00+08:00", kind: "lead", queue: "sales",
                                            agent: "manager", fid: "F1", oid: "O1"))
        try fixture.lead(lead, source: "phone_call", onboarding: "booked")
    }

    override func tearDown() { gateway = nil }

    private func figures(_ path: String, token: String? = TestGateway.adminToken,
                         file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let response = try gateway.admin("GET", "/v1/analytics/\(path)", token: token, file: file, line: line)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return try XCTUnwrap(response.json, file: file, line: line)
    }

    private func rows(_ answer: JSONValue, _ key: String, _ figure: String) -> [String: JSONValue] {
        Dictionary((answer["rows"]?.arrayValue ?? []).map { ($0[key]?.stringValue ?? "none", $0[figure] ?? .null) },
                   uniquingKeysWith: { a, _ in a })
    }

    func testVolumeByLocalDayWeekAndCategoryWithTheReopenRate() throws {
        let whole = try figures("tickets?from=2026-11-01&to=2026-11-30")
        XCTAssertEqual(whole["totals"]?["opened"], 5)
        XCTAssertEqual(whole["totals"]?["reopened"], 1)
        XCTAssertEqual(whole["totals"]?["reopen_rate"]?.doubleValue, 0.2)
        XCTAssertEqual(whole["time_zone"], "Asia/Kuala_Lumpur")

        // C opened at 16:10 UTC on 11-02, which is 11-03 in Kuala Lumpur.
        XCTAssertEqual(rows(try figures("tickets?from=2026-11-01&to=2026-11-30&group_by=day"), "period", "opened"),
                       ["2026-11-02": 2, "2026-11-03": 1, "2026-11-10": 2])
        XCTAssertEqual(rows(try figures("tickets?from=2026-11-01&to=2026-11-30&group_by=week"), "period", "opened"),
                       ["2026-10-26": 0, "2026-11-02": 3, "2026-11-09": 2].filter { $0.value != 0 })
        XCTAssertEqual(rows(try figures("tickets?from=2026-11-01&to=2026-11-30&group_by=category"), "category", "opened"),
                       ["billing": 3, "login": 1, "none": 1])
        let top = try figures("tickets?from=2026-11-01&to=2026-11-30&group_by=category&limit=1")
        XCTAssertEqual(top["rows"]?.arrayValue?.first?["category"], "billing", "the top issue first")
        XCTAssertEqual(top["truncated"], true)
        XCTAssertEqual(try figures("tickets?from=2026-11-03&to=2026-11-03")["rows"]?.arrayValue?.count, 1,
                       "without a grouping, one row: the whole range")
        XCTAssertEqual(try figures("tickets?from=2026-11-03&to=2026-11-03")["totals"]?["opened"], 1)
        // November's month rows plus the days of October and December at the edges.
        XCTAssertEqual(try figures("tickets?from=2026-10-20&to=2026-12-05")["totals"]?["opened"], 5)
        XCTAssertEqual(try figures("tickets?from=2026-10-20&to=2026-12-05&group_by=month")["rows"]?.arrayValue?
            .map { $0["period"] ?? .null }, ["2026-11-01"])
        XCTAssertEqual(try figures("response-times?from=2026-10-20&to=2026-12-05")["totals"]?["frt"]?["median_seconds"], 120)
    }

    func testResponseTimesAreNearestRankPercentilesWithTheShareWithinSLA() throws {
        let answer = try figures("response-times?from=2026-11-01&to=2026-11-30")
        let frt = try XCTUnwrap(answer["totals"]?["frt"])
        XCTAssertEqual(frt["tickets"], 3)
        XCTAssertEqual(frt["median_seconds"], 120)  // 60, 120, 600
        XCTAssertEqual(frt["p90_seconds"], 600)
        XCTAssertEqual(frt["within_sla"], 2)
        XCTAssertEqual(frt["within_sla_rate"]?.doubleValue, 0.6667)
        let art = try XCTUnwrap(answer["totals"]?["art"])
        XCTAssertEqual(art["tickets"], 2)
        XCTAssertEqual(art["median_seconds"], 3_600)
        XCTAssertEqual(art["p90_seconds"], 7_200)
        XCTAssertEqual(art["within_sla_rate"]?.doubleValue, 1.0)

        let byAgent = try figures("response-times?from=2026-11-01&to=2026-11-30&group_by=agent")
        let medians = rows(byAgent, "agent", "frt").mapValues { $0["median_seconds"] ?? .null }
        XCTAssertEqual(medians, ["ali": 60, "siti": 120, "manager": .null])
    }

    func testCSATDistributionAverageAndResponseRateByAgent() throws {
        let answer = try figures("csat?from=2026-11-01&to=2026-11-30&group_by=agent")
        XCTAssertEqual(answer["totals"]?["surveys"], 2)
        XCTAssertEqual(answer["totals"]?["responses"], 1)
        XCTAssertEqual(answer["totals"]?["response_rate"]?.doubleValue, 0.5)
        XCTAssertEqual(answer["totals"]?["average"]?.doubleValue, 5.0)
        XCTAssertEqual(answer["totals"]?["distribution"]?["5"], 1)
        XCTAssertEqual(rows(answer, "agent", "surveys")["ali"], 2)
        XCTAssertEqual(rows(answer, "agent", "response_rate")["siti"], .null, "no survey, no rate")
    }

    func testBacklogByAgeNowAndAtTheEndOfEachDay() throws {
        let answer = try figures("backlog?from=2026-11-02&to=2026-11-10")
        let now = try XCTUnwrap(answer["now"]?["ages"])
        XCTAssertEqual(now["total"], 3)
        XCTAssertEqual(now["1h_to_4h"], 2, "D (3 h) and E (exactly 1 h)")
        XCTAssertEqual(now["over_3d"], 1, "C")
        let ends = Dictionary(uniqueKeysWithValues: (answer["rows"]?.arrayValue ?? []).map {
            ($0["period"]?.stringValue ?? "", $0["ages"] ?? .null)
        })
        XCTAssertEqual(ends.keys.sorted().first, "2026-11-02")
        XCTAssertEqual(ends.keys.sorted().last, "2026-11-09", "today has not ended")
        XCTAssertEqual(ends["2026-11-02"]?["total"], 0, "A and B were resolved the same day; C opened after midnight")
        XCTAssertEqual(ends["2026-11-03"]?["4h_to_24h"], 1, "C at 23 h 50 min")
        XCTAssertEqual(ends["2026-11-05"]?["1d_to_3d"], 1, "C at 71 h 50 min")
        XCTAssertEqual(ends["2026-11-06"]?["over_3d"], 1)
        XCTAssertEqual(ends["2026-11-09"]?["total"], 1)
        let weekly = try figures("backlog?from=2026-11-02&to=2026-11-10&group_by=week")
        XCTAssertEqual(weekly["rows"]?.arrayValue?.map { $0["period"] ?? .null }, ["2026-11-02"])
        XCTAssertEqual(weekly["rows"]?.arrayValue?.first?["at"], "2026-11-08T16:00:00.000Z", "Monday 00:00 local")
    }

    func testTopAndHighTouchOutletsWithTheirMonths() throws {
        let answer = try figures("outlets?from=2026-11-01&to=2026-11-30")
        XCTAssertEqual(answer["high_touch_outlets"], 1)
        let first = try XCTUnwrap(answer["rows"]?.arrayValue?.first)
        XCTAssertEqual(first["outlet"], "F1/O1")
        XCTAssertEqual(first["oid"], "O1")
        XCTAssertEqual(first["tickets"], 3)
        XCTAssertEqual(first["high_touch"], true)
        XCTAssertEqual(first["months"], [["month": "2026-11-01", "tickets": 3]])
        XCTAssertEqual(answer["rows"]?.arrayValue?.last?["high_touch"], false)
        XCTAssertEqual(answer["rows"]?.arrayValue?.count, 2, "the unlinked ticket is no outlet")
    }

    func testLeadConversionAndRenewalRecoveryAndWinback() throws {
        let leads = try figures("leads?from=2026-11-01&to=2026-11-30")
        XCTAssertEqual(leads["totals"]?["leads"], 1)
        XCTAssertEqual(leads["totals"]?["onboarding_booked"], 1)
        XCTAssertEqual(leads["totals"]?["conversion_rate"]?.doubleValue, 1.0)
        XCTAssertEqual(leads["totals"]?["by_source"]?["phone_call"], 1)

        try fixture.renewal(oid: "O1", due: "2026-11-05", status: "renewed", renewedAt: "2026-11-04T10:00:00+08:00",
                            afterExpiry: false)
        try fixture.renewal(oid: "O2", due: "2026-11-06", status: "lapsed")
        try fixture.renewal(oid: "O3", due: "2026-11-01", status: "renewed", renewedAt: "2026-11-04T10:00:00+08:00",
                            afterExpiry: true)
        try fixture.renewal(oid: "O4", due: "2026-11-02", status: "renewed", renewedAt: "2026-11-09T10:00:00+08:00",
                            afterExpiry: true)
        try fixture.renewal(oid: "O5", due: "2026-11-20", status: "open", reminded: false)
        let renewals = try figures("renewals?from=2026-11-01&to=2026-11-30")["totals"]
        XCTAssertEqual(renewals?["due"], 5)
        XCTAssertEqual(renewals?["reminded"], 4)
        XCTAssertEqual(renewals?["renewed_before_expiry"], 1)
        XCTAssertEqual(renewals?["failed"], 3)
        XCTAssertEqual(renewals?["recovered"], 1, "three days after expiry")
        XCTAssertEqual(renewals?["won_back"], 1, "seven days after expiry, winback_after_days = 5")
        XCTAssertEqual(renewals?["recovery_rate"]?.doubleValue, 0.3333)
        XCTAssertEqual(renewals?["winback_rate"]?.doubleValue, 0.3333)
    }

    func testAScopedCallerCountsOnlyItsOutletsTickets() throws {
        let token = try gateway.token(role: "admin", scope: ["F1/O2"])
        let answer = try figures("tickets?from=2026-11-01&to=2026-11-30&group_by=agent", token: token)
        XCTAssertEqual(answer["totals"]?["opened"], 1)
        XCTAssertEqual(rows(answer, "agent", "opened"), ["siti": 1])
        let times = try figures("response-times?from=2026-11-01&to=2026-11-30", token: token)
        XCTAssertEqual(times["totals"]?["frt"]?["median_seconds"], 120)
        let backlog = try figures("backlog?from=2026-11-02&to=2026-11-10", token: token)
        XCTAssertEqual(backlog["now"]?["ages"]?["total"], 1, "only C")
    }

    func testChangesAfterAQueryAreCountedByTheNext() throws {
        XCTAssertEqual(try figures("tickets?from=2026-11-01&to=2026-11-30")["totals"]?["opened"], 5)
        try gateway.app.store.database.write { c in
            try c.run("UPDATE tickets SET category = 'login' WHERE category = 'billing' AND assignee = 'siti'")
            try c.run("UPDATE tickets SET deleted_at = 1 WHERE kind = 'lead'")
        }
        let answer = try figures("tickets?from=2026-11-01&to=2026-11-30&group_by=category")
        XCTAssertEqual(rows(answer, "category", "opened"), ["billing": 2, "login": 2])
        XCTAssertEqual(answer["totals"]?["opened"], 4)
    }

    func testABatchOfHundredsOfTicketsIsCountedWhole() throws {
        // 250 tickets of as many categories: one rollup pass writes their facts and rows in several statements.
        for n in 0..<250 {
            try fixture.ticket(.init(opened: "2026-11-05T10:00:00+08:00", category: "c\(n)", agent: "ali",
                                     firstResponse: n % 2 == 0 ? 60 : 600))
        }
        let answer = try figures("tickets?from=2026-11-01&to=2026-11-30&group_by=category&limit=1000")
        XCTAssertEqual(answer["totals"]?["opened"], 255)
        XCTAssertEqual(answer["truncated"], false)
        let categories = rows(answer, "category", "opened")
        XCTAssertEqual(categories.count, 253)
        XCTAssertEqual(categories["c0"], 1)
        XCTAssertEqual(categories["c249"], 1)
        XCTAssertEqual(categories["billing"], 3)
        let times = try figures("response-times?from=2026-11-05&to=2026-11-05")
        XCTAssertEqual(times["totals"]?["frt"]?["tickets"], 250)
        XCTAssertEqual(times["totals"]?["frt"]?["within_sla"], 125)
        let facts = try gateway.app.store.database.write { c in
            try c.queryOne("SELECT count(*) AS n FROM analytics_ticket_facts")?.int64("n")
        }
        XCTAssertEqual(facts, 255)
    }
}
