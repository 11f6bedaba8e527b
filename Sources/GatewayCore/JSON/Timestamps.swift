import Foundation

/// Times in API bodies: unix milliseconds written as RFC 3339 UTC with milliseconds (`2026-07-01T09:30:00.123Z`).
public enum Timestamps {
    public static func rfc3339(_ millis: Int64) -> String {
        // Whole seconds through the formatter, milliseconds by hand: formatting Double(millis) / 1000 truncated
        // binary fractions (…59.123 s is 59.12299… as a Double, shown as .122).
        let remainder = (millis % 1000 + 1000) % 1000
        let whole = Date(timeIntervalSince1970: Double((millis - remainder) / 1000)).formatted(Date.ISO8601FormatStyle())
        let digits = String(remainder)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}
