import Foundation
import GatewayKit
import GatewayTestSupport
import Retail
import XCTest

/// The reminder-day arithmetic on its own: which day is current, which are stale, when a cycle is over; and quiet
/// hours in a recipient's time zone.
final class RenewalCadenceTests: XCTestCase {
    private let cadence = RenewalCadence(offsets: [3, -1, -14, -7])
    private let expiry = CalendarDate("2026-03-15")!

    private func plan(_ day: Int) -> RenewalCadence.Plan {
        cadence.plan(expiry: expiry, today: expiry.adding(days: day))
    }

    func testEachReminderDayOwnsTheDaysUpToTheNext() {
        XCTAssertEqual(cadence.offsets, [-14, -7, -1, 3])
        XCTAssertEqual(plan(-15), RenewalCadence.Plan(due: [], current: nil))
        XCTAssertEqual(plan(-14), RenewalCadence.Plan(due: [-14], current: -14))
        XCTAssertEqual(plan(-8), RenewalCadence.Plan(due: [-14], current: -14), "D-14 still goes on D-8 (catch-up)")
        XCTAssertEqual(plan(-5), RenewalCadence.Plan(due: [-14, -7], current: -7), "a missed D-7 goes on D-5")
        XCTAssertEqual(plan(0), RenewalCadence.Plan(due: [-14, -7, -1], current: -1))
        XCTAssertEqual(plan(3), RenewalCadence.Plan(due: [-14, -7, -1, 3], current: 3))
    }

    func testTheLastDayOwnsAsManyDaysAsTheGapBeforeIt() {
        XCTAssertEqual(cadence.lastRelevantOffset, 6)
        XCTAssertEqual(plan(6).current, 3)
        XCTAssertEqual(plan(7), RenewalCadence.Plan(due: [-14, -7, -1, 3], current: nil), "the cycle is over")
        XCTAssertEqual(RenewalCadence(offsets: [-7]).lastRelevantOffset, -7, "a single day owns itself")
        XCTAssertEqual(RenewalCadence(offsets: [-7, -7, 0]).offsets, [-7, 0])
    }

    func testQuietHoursMoveASendToTheirEndInTheRecipientsZone() throws {
        let quiet = try XCTUnwrap(QuietHours("21:00-09:00"))
        let kualaLumpur = try XCTUnwrap(TimeZone(identifier: "Asia/Kuala_Lumpur"))
        let at = { (date: String, time: String) in TestGateway.millis(date, time) }
        XCTAssertEqual(quiet.sendTime(for: at("2026-03-01", "03:00"), in: kualaLumpur), at("2026-03-01", "09:00"))
        XCTAssertEqual(quiet.sendTime(for: at("2026-03-01", "21:00"), in: kualaLumpur), at("2026-03-02", "09:00"))
        XCTAssertEqual(quiet.sendTime(for: at("2026-03-01", "09:00"), in: kualaLumpur), at("2026-03-01", "09:00"))
        XCTAssertEqual(quiet.sendTime(for: at("2026-03-01", "20:59"), in: kualaLumpur), at("2026-03-01", "20:59"))
        // 03:00 in Kuala Lumpur is 19:00 the day before in London: not quiet there.
        let london = try XCTUnwrap(TimeZone(identifier: "Europe/London"))
        XCTAssertEqual(quiet.sendTime(for: at("2026-03-01", "03:00"), in: london), at("2026-03-01", "03:00"))
        // A window within one day, and the end of quiet hours on a daylight-saving morning (London, 29 March).
        let lunch = try XCTUnwrap(QuietHours("12:00-13:30"))
        XCTAssertEqual(lunch.sendTime(for: at("2026-03-01", "12:10"), in: kualaLumpur), at("2026-03-01", "13:30"))
        XCTAssertEqual(lunch.description, "12:00-13:30")
        XCTAssertEqual(quiet.sendTime(for: TestGateway.millis("2026-03-29", "00:30", "Europe/London"), in: london),
                       TestGateway.millis("2026-03-29", "09:00", "Europe/London"))
        XCTAssertEqual(TestGateway.millis("2026-03-29", "09:00", "Europe/London"),
                       TestGateway.millis("2026-03-29", "08:00", "UTC"), "09:00 BST")
    }

    func testQuietHoursAreWrittenHHMMDashHHMM() {
        for bad in ["21:00", "21:00-21:00", "9:00-10:00", "21:00-24:00", "21:00 - 09:00x", "", "-"] {
            XCTAssertNil(QuietHours(bad), bad)
        }
        XCTAssertEqual(QuietHours(" 21:00 - 09:00 "), QuietHours(startMinute: 1260, endMinute: 540))
    }
}
