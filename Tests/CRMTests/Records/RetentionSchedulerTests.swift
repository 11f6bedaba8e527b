import CRM
import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import Ingress
import XCTest

/// The in-process daily retention purge (timeline entries live one year, their records stay), driven
/// by the injected clock: nothing sleeps for a day.
final class RetentionSchedulerTests: XCTestCase {
    private static let day: Int64 = 86_400_000
    private var fixture: RecordsFixture!
    private var gateway: TestGateway { fixture.gateway }

    override func setUpWithError() throws { fixture = try RecordsFixture() }
    override func tearDown() { fixture = nil }

    private func purgeRuns() -> Double {
        gateway.app.metrics.counter("gateway_retention_runs_total", [("outcome", "success")])
    }

    func testDailyPurgeDeletesTimelineEntriesOlderThanAYearAndKeepsTheirRecords() throws {
        // The clock starts at 2025-06-15T15:06:40Z; the purge runs at start, then daily at 03:00 UTC (the default).
        eventually("the start-up purge ran") { self.purgeRuns() == 1 }
        let old = try gateway.createDeal(#"{"name":"Old","room_id":"room-r1","creator_flag":"bot"}"#)
        gateway.advanceClock(milliseconds: 200 * Self.day)
        let recent = try gateway.createDeal(#"{"name":"Recent","room_id":"room-r2","creator_flag":"bot"}"#)
        fixture.waitForSettledTimeline()

        // A year and a day later (the old entry is now older than one year), the day's 03:00 slot has passed.
        gateway.advanceClock(milliseconds: 166 * Self.day)
        gateway.app.retention.wake()
        eventually("the daily purge ran") { self.purgeRuns() == 2 }
        XCTAssertEqual(try fixture.timeline("deal", old), [])
        XCTAssertEqual(try fixture.timeline("deal", recent).count, 1)
        XCTAssertEqual(try gateway.admin("GET", "/v1/deals/\(old)").status, 200, "the record stays")
        XCTAssertEqual(gateway.app.metrics.counter("gateway_retention_purged_total", [("what", "timeline_entries")]), 1)
    }

    func testPurgeRunsOncePerDayAtTheConfiguredTime() throws {
        fixture = try RecordsFixture(configure: { $0.retention.minuteOfDay = 16 * 60 })  // 16:00 UTC
        eventually("the start-up purge ran") { self.purgeRuns() == 1 }
        let retention = gateway.app.retention
        XCTAssertFalse(retention.runIfDue(), "15:06: today's 16:00 has not come; the start-up run covered the day")
        gateway.advanceClock(milliseconds: 53 * 60_000 + 19_999)  // 15:59:59.999
        XCTAssertFalse(retention.runIfDue())
        gateway.advanceClock(milliseconds: 1)  // 16:00:00.000
        XCTAssertTrue(retention.runIfDue())
        XCTAssertFalse(retention.runIfDue(), "once per day")
        gateway.advanceClock(milliseconds: Self.day - 1)  // 15:59:59.999 the next day
        XCTAssertFalse(retention.runIfDue())
        gateway.advanceClock(milliseconds: 1)
        XCTAssertTrue(retention.runIfDue())
        XCTAssertEqual(purgeRuns(), 3)
    }

    func testRetentionTimeLoadsFromFileAndEnvironmentAndABadValueNamesTheKey() throws {
        XCTAssertEqual(try ConfigFixture.load(#"{"retention": {"time": "04:30"}}"#).retention.minuteOfDay, 270)
        XCTAssertEqual(try ConfigFixture.load("{}", env: ["RETENTION_TIME": "00:05"]).retention.minuteOfDay, 5)
        XCTAssertEqual(GatewayConfig().retention.minuteOfDay, 180)
        guard case .invalidValue(let key, _)? = ConfigFixture.error(#"{"retention": {"time": "3am"}}"#) else {
            return XCTFail("3am accepted")
        }
        XCTAssertEqual(key, "retention.time")
        guard case .invalidValue(let envKey, _)? = ConfigFixture.error("{}", env: ["RETENTION_TIME": "24:00"]) else {
            return XCTFail("24:00 accepted")
        }
        XCTAssertEqual(envKey, "RETENTION_TIME")
    }
}
