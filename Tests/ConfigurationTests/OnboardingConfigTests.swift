import Configuration
import Conversations
import GatewayKit
import XCTest

/// The `onboarding` section: working days by name, working hours as a local window, slot length and quiet hours;
/// each bad value refused naming its key.
final class OnboardingConfigTests: XCTestCase {
    private func load(_ json: String) throws -> OnboardingSettings {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onboarding-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ConfigLoader.load(file: path, environment: [:]).onboarding
    }

    func testAWeekendTeamWithShortSlots() throws {
        let settings = try load(#"{"onboarding": {"days": ["SAT", "sun"], "hours": "10:00-12:30", "slot_length": "30m", "quiet_hours": null, "time_zone": "Asia/Jakarta"}}"#)
        XCTAssertEqual(settings.workingDays, [6, 7])
        XCTAssertEqual(settings.workStartMinute, 600)
        XCTAssertEqual(settings.workEndMinute, 750)
        XCTAssertEqual(settings.slotMilliseconds, 1_800_000)
        XCTAssertNil(settings.quietHours)
        let calendar = OnboardingCalendar(settings: settings)
        // Saturday 21 June 2025 in Jakarta (UTC+7): 10:00, 10:30, 11:00, 11:30, 12:00.
        XCTAssertEqual(calendar.slots(from: 1_750_438_800_000, to: 1_750_525_200_000).count, 5)
    }

    func testBadValuesAreRefusedNamingTheirKey() {
        let cases: [(String, String)] = [
            (#"{"days": ["mon", "mon"]}"#, "onboarding.days[1]"),
            (#"{"days": ["monday"]}"#, "onboarding.days[0]"),
            (#"{"days": []}"#, "onboarding.days"),
            (#"{"hours": "17:00-09:00"}"#, "onboarding.hours"),
            (#"{"hours": "9-5"}"#, "onboarding.hours"),
            (#"{"slot_length": "5m"}"#, "onboarding.slot_length"),
            (#"{"time_zone": "Mars/Olympus"}"#, "onboarding.time_zone"),
            (#"{"quiet_hours": "21:00"}"#, "onboarding.quiet_hours"),
        ]
        for (section, key) in cases {
            XCTAssertThrowsError(try load(#"{"onboarding": \#(section)}"#), section) { error in
                XCTAssertTrue("\(error)".contains(key), "\(section): \(error)")
            }
        }
    }

    func testTheMailServerIsAnSMTPURL() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString).json").path
        try Data(#"{"smtp": {"url": "http://mail.example.com"}}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try ConfigLoader.load(file: path, environment: [:])) { XCTAssertTrue("\($0)".contains("smtp.url")) }
        let configured = try ConfigLoader.load(file: nil, environment: ["SMTP_URL": "smtps://mail.example.com:465"])
        XCTAssertEqual(configured.smtp.url, "smtps://mail.example.com:465")
    }
}
