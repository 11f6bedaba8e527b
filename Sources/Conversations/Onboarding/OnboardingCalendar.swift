import Delivery
import Foundation
import GatewayKit

/// The team's bookable slots: every slot-length step of the working hours on the working days, in the team's time
/// zone (``OnboardingSettings``). A slot is named by its start.
public struct OnboardingCalendar: Sendable {
    /// The longest `from`–`to` range of a slot listing.
    public static let maxRangeMilliseconds: Int64 = 31 * 86_400_000
    public let settings: OnboardingSettings
    let zone: TimeZone

    public init(settings: OnboardingSettings) {
        self.settings = settings
        zone = TimeZone.named(settings.timeZone)
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private var slotMinutes: Int { settings.slotMilliseconds / 60_000 }

    /// The starts of the slots in `[from, to)`, oldest first.
    public func slots(from: Int64, to: Int64) -> [Int64] {
        let calendar = calendar
        var day = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(from) / 1000))
        var starts: [Int64] = []
        while Int64(day.timeIntervalSince1970 * 1000) < to {
            if settings.workingDays.contains(isoWeekday(day, calendar)) {
                var minute = settings.workStartMinute
                while minute + slotMinutes <= settings.workEndMinute {
                    if let start = calendar.date(byAdding: .minute, value: minute, to: day) {
                        let millis = Int64(start.timeIntervalSince1970 * 1000)
                        if millis >= from && millis < to { starts.append(millis) }
                    }
                    minute += slotMinutes
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return starts
    }

    /// Whether `start` begins a slot.
    public func isSlot(_ start: Int64) -> Bool {
        slots(from: start, to: start + 1) == [start]
    }

    /// `Tuesday 7 July 2026, 10:00` / `Selasa 7 Julai 2026, 10:00`: how messages name a time, in the team's zone.
    public func spoken(_ millis: Int64, language: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == "ms" ? "ms_MY" : "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = "EEEE d MMMM yyyy, HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// An RFC 3339 time as unix ms (durations such as `24h` are not times here); nil otherwise.
    public static func instant(_ text: String) -> Int64? {
        guard DurationText.milliseconds(text) == nil else { return nil }
        return TimeFilter.sinceMillis(text, now: 0)
    }

    private func isoWeekday(_ day: Date, _ calendar: Calendar) -> Int {
        (calendar.component(.weekday, from: day) + 5) % 7 + 1  // Foundation: 1 = Sunday
    }
}
