import Foundation

/// The days a report or an export covers: `from` and `to` are local dates (`YYYY-MM-DD`, both included) in the
/// organisation's time zone, so "2026-11-01 to 2026-11-30" is November as the desk lived it, whatever the server's
/// zone. ``start`` and ``end`` are the unix milliseconds of local midnight at the first day and after the last day
/// (half-open), exact across daylight-saving changes.
public struct ReportPeriod: Sendable, Equatable {
    public let from: CalendarDate
    public let to: CalendarDate
    public let timeZone: TimeZone
    /// Unix ms of local midnight starting `from`.
    public let start: Int64
    /// Unix ms of local midnight after `to` (exclusive).
    public let end: Int64

    public init(from: CalendarDate, to: CalendarDate, timeZone: TimeZone) {
        self.from = from
        self.to = to
        self.timeZone = timeZone
        start = Self.midnight(of: from, in: timeZone)
        end = Self.midnight(of: to.adding(days: 1), in: timeZone)
    }

    /// Days covered, both ends included.
    public var days: Int { to.daysSinceEpoch - from.daysSinceEpoch + 1 }

    /// Unix ms of the local midnight that starts `date` in `timeZone` (the first instant of the day where a
    /// daylight-saving change skips midnight).
    public static func midnight(of date: CalendarDate, in timeZone: TimeZone) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Noon exists on every day; the start of its day is midnight, or the first instant after a skipped one.
        guard let noon = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day,
                                                            hour: 12)) else {
            return Int64(date.daysSinceEpoch) * 86_400_000
        }
        return Int64((calendar.startOfDay(for: noon).timeIntervalSince1970 * 1000).rounded())
    }

    /// `from` and `to` from query parameters, each required, checked together: a date in another format, `from` after
    /// `to`, or a range longer than `maxDays` is named. `defaultDays` (when set) makes both optional: a missing `to` is
    /// today and a missing `from` that many days before `to`.
    public static func parse(_ parameters: [String: String], timeZone: TimeZone, maxDays: Int, now: Int64,
                             defaultDays: Int? = nil) -> Result<ReportPeriod, GatewayError> {
        var errors: [FieldError] = []
        func date(_ name: String) -> CalendarDate? {
            guard let text = parameters[name] else {
                if defaultDays == nil { errors.append(FieldError(field: name, message: "is required (YYYY-MM-DD)")) }
                return nil
            }
            guard let value = CalendarDate(text) else {
                errors.append(FieldError(field: name, message: "must be a date written YYYY-MM-DD"))
                return nil
            }
            return value
        }
        let fromDate = date("from")
        let toDate = date("to")
        guard errors.isEmpty else { return .failure(.validation(errors)) }
        let to = toDate ?? CalendarDate(unixMillis: now, in: timeZone)
        let from = fromDate ?? to.adding(days: -(max(defaultDays ?? 1, 1) - 1))
        if from > to {
            return .failure(.validation([FieldError(field: "from", message: "must not be after to (\(to))")]))
        }
        let period = ReportPeriod(from: from, to: to, timeZone: timeZone)
        if period.days > maxDays {
            return .failure(.validation([FieldError(field: "to", message: "makes a range of \(period.days) days; at most \(maxDays) are allowed")]))
        }
        return .success(period)
    }
}
