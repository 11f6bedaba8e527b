/// Times in API bodies: unix milliseconds written as RFC 3339 UTC with milliseconds (`2026-07-01T09:30:00.123Z`).
public enum Timestamps {
    /// Formatted by hand (days-to-civil arithmetic, proleptic Gregorian calendar): Foundation's ISO 8601 style cost a
    /// few microseconds per call, three times per created deal, on the single writer thread.
    public static func rfc3339(_ millis: Int64) -> String {
        let (days, millisOfDay) = floorDivision(millis, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let seconds = millisOfDay / 1000
        var text = year >= 0 && year <= 9999 ? padded(year, 4) : String(year)
        text += "-" + padded(month, 2) + "-" + padded(day, 2) + "T" + padded(seconds / 3600, 2) + ":"
        text += padded(seconds / 60 % 60, 2) + ":" + padded(seconds % 60, 2) + "." + padded(millisOfDay % 1000, 3) + "Z"
        return text
    }

    /// Year, month and day of `days` since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = floorDivision(shifted, 146_097).0
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
