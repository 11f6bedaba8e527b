import Foundation
import GatewayKit
import XCTest

/// The days of a report: local dates in the organisation's zone, both included, checked together.
final class ReportPeriodTests: XCTestCase {
    let kualaLumpur = TimeZone(identifier: "Asia/Kuala_Lumpur")!
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func testDatesAreLocalMidnightsAndTheLastDayIsIncluded() throws {
        let period = try XCTUnwrap(try? ReportPeriod.parse(["from": "2026-11-01", "to": "2026-11-30"], timeZone: kualaLumpur,
                                                           maxDays: 366, now: 0).get())
        // 2026-11-01T00:00+08:00 = 2026-10-31T16:00Z.
        XCTAssertEqual(period.start, 1_793_462_400_000)
        XCTAssertEqual(period.end - period.start, 30 * 86_400_000)
        XCTAssertEqual(period.days, 30)
    }

    func testADaylightSavingChangeMakesADayOf23Hours() throws {
        let period = try XCTUnwrap(try? ReportPeriod.parse(["from": "2026-03-29", "to": "2026-03-29"], timeZone: berlin,
                                                           maxDays: 366, now: 0).get())
        XCTAssertEqual(period.end - period.start, 23 * 3_600_000)
    }

    func testBadDatesOrderAndLengthAreNamed() {
        func fields(_ parameters: [String: String]) -> [String] {
            guard case .failure(.validation(let errors)) = ReportPeriod.parse(parameters, timeZone: kualaLumpur, maxDays: 31, now: 0) else {
                return []
            }
            return errors.map(\.field)
        }
        XCTAssertEqual(fields(["from": "01/11/2026", "to": "2026-11-30"]), ["from"])
        XCTAssertEqual(fields(["from": "2026-11-01"]), ["to"])
        XCTAssertEqual(fields(["from": "2026-12-01", "to": "2026-11-30"]), ["from"])
        XCTAssertEqual(fields(["from": "2026-01-01", "to": "2026-11-30"]), ["to"])
        XCTAssertEqual(fields(["from": "2026-02-30", "to": "2026-03-01"]), ["from"])
    }

    func testDefaultDaysEndToday() throws {
        let now: Int64 = 1_793_462_400_000 + 3_600_000 // 2026-11-01 01:00 in Kuala Lumpur
        let period = try XCTUnwrap(try? ReportPeriod.parse([:], timeZone: kualaLumpur, maxDays: 366, now: now,
                                                           defaultDays: 7).get())
        XCTAssertEqual(period.to.description, "2026-11-01")
        XCTAssertEqual(period.from.description, "2026-10-26")
    }
}
