/// Times in API bodies: unix milliseconds written as RFC 3339 UTC with milliseconds (`2026-07-01T09:30:00.123Z`).
public enum Timestamps {
    /// Formatted by hand (days-to-civil arithmetic, proleptic Gregorian calendar): Foundation's ISO 8601 style cost a
    /// few microseconds per call, three times per created deal, on the single writer thread.
    public static func rfc3339(_ millis: Int64) -> String {
        let (days, millisOfDay) = floorDivision(millis, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let seconds = millisOfDay / 1000
        if year >= 0 && year <= 9999 {
            // The fixed 24-character form written as bytes: padded strings joined cost more than the arithmetic.
            return String(unsafeUninitializedCapacity: 24) { text in
                func put(_ value: Int64, _ width: Int, at offset: Int, then separator: UInt8) {
                    var rest = value
                    for index in stride(from: offset + width - 1, through: offset, by: -1) {
                        text[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                        rest /= 10
                    }
                    text[offset + width] = separator
                }
                put(year, 4, at: 0, then: UInt8(ascii: "-"))
                put(month, 2, at: 5, then: UInt8(ascii: "-"))
                put(day, 2, at: 8, then: UInt8(ascii: "T"))
                put(seconds / 3600, 2, at: 11, then: UInt8(ascii: ":"))
                put(seconds / 60 % 60, 2, at: 14, then: UInt8(ascii: ":"))
                put(seconds % 60, 2, at: 17, then: UInt8(ascii: "."))
                put(millisOfDay % 1000, 3, at: 20, then: UInt8(ascii: "Z"))
                return 24
            }
        }
        var text = String(year)
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
