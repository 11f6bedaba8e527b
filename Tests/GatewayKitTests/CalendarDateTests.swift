import Foundation
import GatewayKit
import XCTest

final class CalendarDateTests: XCTestCase {
    func testOnlyDaysThatExistParse() {
        XCTAssertEqual(CalendarDate("2026-12-31")?.description, "2026-12-31")
        XCTAssertNotNil(CalendarDate("2024-02-29"))
        XCTAssertNotNil(CalendarDate("2000-02-29"))
        for bad in ["2026-02-30", "2100-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01",
                    "2026-01-01T00:00:00Z", "", "２０２６-01-01", "0000-01-01"] {
            XCTAssertNil(CalendarDate(bad), bad)
        }
    }

    func testDayArithmeticMatchesTheCalendar() {
        XCTAssertEqual(CalendarDate(daysSinceEpoch: 0).description, "1970-01-01")
        XCTAssertEqual(CalendarDate("2026-03-01")!.adding(days: -1).description, "2026-02-28")
        XCTAssertEqual(CalendarDate("2024-03-01")!.adding(days: -1).description, "2024-02-29")
        XCTAssertEqual(CalendarDate("2026-12-31")!.adding(days: -14).description, "2026-12-17")
        XCTAssertEqual(CalendarDate("1969-12-31")!.daysSinceEpoch, -1)
        // Every day of 1900–2199 against Foundation's Gregorian calendar.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = CalendarDate("1900-01-01")!.daysSinceEpoch
        for days in stride(from: start, to: start + 300 * 366, by: 1) {
            let date = CalendarDate(daysSinceEpoch: days)
            XCTAssertEqual(date.daysSinceEpoch, days)
            if days % 97 == 0 {
                let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
                XCTAssertEqual([date.year, date.month, date.day], [parts.year!, parts.month!, parts.day!])
            }
        }
        XCTAssertLessThan(CalendarDate("2026-01-31")!, CalendarDate("2026-02-01")!)
    }

    func testTodayDependsOnTheTimeZone() {
        let kualaLumpur = TimeZone(identifier: "Asia/Kuala_Lumpur")!
        // 2026-06-30T16:30:00Z is 00:30 on 1 July in Kuala Lumpur (UTC+8).
        let millis: Int64 = 1_782_837_000_000
        XCTAssertEqual(CalendarDate(unixMillis: millis, in: kualaLumpur).description, "2026-07-01")
        XCTAssertEqual(CalendarDate(unixMillis: millis, in: TimeZone(identifier: "UTC")!).description, "2026-06-30")
        XCTAssertEqual(CalendarDate(unixMillis: -1, in: TimeZone(identifier: "UTC")!).description, "1969-12-31")
    }
}
