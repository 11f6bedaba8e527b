import Foundation

/// A local time of day in a time zone, every day: when the POS pull and the renewal run are due (02:00 and 03:00 in
/// Kuala Lumpur), and when an outlet's quiet hours end. Local times are turned into instants with the zone's offset
/// at that moment, so a daylight-saving change on the day is taken into account.
public struct DailySchedule: Sendable {
    public let minuteOfDay: Int
    public let timeZone: TimeZone

    public init(minuteOfDay: Int, timeZone: TimeZone) {
        self.minuteOfDay = minuteOfDay
        self.timeZone = timeZone
    }

    /// `minuteOfDay` in the zone named `timeZone` (UTC when the name is unknown; config keys are checked at load).
    public init(minuteOfDay: Int, timeZone: String) {
        self.init(minuteOfDay: minuteOfDay, timeZone: .named(timeZone))
    }

    /// Unix ms of the most recent scheduled time at or before `millis`.
    public func latestSlot(atOrBefore millis: Int64) -> Int64 {
        let today = CalendarDate(unixMillis: millis, in: timeZone)
        let slot = slot(on: today)
        return slot <= millis ? slot : self.slot(on: today.adding(days: -1))
    }

    /// Unix ms of the first scheduled time strictly after `millis`.
    public func nextSlot(after millis: Int64) -> Int64 {
        let today = CalendarDate(unixMillis: millis, in: timeZone)
        let slot = slot(on: today)
        return slot > millis ? slot : self.slot(on: today.adding(days: 1))
    }

    /// Unix ms of the scheduled time on local day `date`.
    public func slot(on date: CalendarDate) -> Int64 {
        let localSeconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(minuteOfDay) * 60
        // The offset at the local time itself, looked up twice so a DST change that day is taken into account.
        let guess = localSeconds - Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds))))
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess)))
        return (localSeconds - Int64(offset)) * 1000
    }
}
