import Foundation

/// A daily window of local time in which no message is sent, e.g. 21:00–09:00 (it may wrap midnight). A send that
/// falls inside is moved to the window's end, in the recipient's time zone.
public struct QuietHours: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after local midnight: the window is `[startMinute, endMinute)`.
    public let startMinute: Int
    public let endMinute: Int

    /// Nil when either bound is outside 0..<1440 or they are equal (an empty or a whole-day window).
    public init?(startMinute: Int, endMinute: Int) {
        guard (0..<1440).contains(startMinute), (0..<1440).contains(endMinute), startMinute != endMinute else {
            return nil
        }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// `HH:MM-HH:MM` (24-hour clock); nil for anything else.
    public init?(_ text: String) {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let start = TimeOfDayText.minutes(bounds[0]),
              let end = TimeOfDayText.minutes(bounds[1]) else { return nil }
        self.init(startMinute: start, endMinute: end)
    }

    /// When a send planned at `millis` may go: `millis` itself outside the window, else the window's end (the next
    /// local `endMinute` after `millis` in `timeZone`).
    public func sendTime(for millis: Int64, in timeZone: TimeZone) -> Int64 {
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))
        let local = millis / 1000 + Int64(offset)
        let minute = Int(((local % 86_400) + 86_400) % 86_400 / 60)
        let quiet = startMinute < endMinute ? (startMinute..<endMinute).contains(minute)
            : minute >= startMinute || minute < endMinute
        guard quiet else { return millis }
        return DailySchedule(minuteOfDay: endMinute, timeZone: timeZone).nextSlot(after: millis)
    }

    public var description: String { TimeOfDayText.format(startMinute) + "-" + TimeOfDayText.format(endMinute) }
}
