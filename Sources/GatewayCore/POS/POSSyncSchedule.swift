import Foundation

/// When the daily pull is due: once a day at a local time of day in the POS's time zone (02:00 in Kuala Lumpur).
struct POSSyncSchedule: Sendable {
    let minuteOfDay: Int
    let timeZone: TimeZone

    init(settings: POSSettings) {
        minuteOfDay = settings.syncMinuteOfDay
        timeZone = TimeZone(identifier: settings.defaultTimeZone) ?? TimeZone(secondsFromGMT: 0)!
    }

    /// Unix ms of the most recent scheduled time at or before `millis`.
    func latestSlot(atOrBefore millis: Int64) -> Int64 {
        let today = CalendarDate(unixMillis: millis, in: timeZone)
        let slot = slot(on: today)
        return slot <= millis ? slot : self.slot(on: today.adding(days: -1))
    }

    /// Unix ms of the scheduled time on local day `date`.
    private func slot(on date: CalendarDate) -> Int64 {
        let localSeconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(minuteOfDay) * 60
        // The offset at the local time itself, looked up twice so a DST change that day is taken into account.
        let guess = localSeconds - Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds))))
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess)))
        return (localSeconds - Int64(offset)) * 1000
    }
}
