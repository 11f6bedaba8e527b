import Foundation

/// Times in API bodies: unix milliseconds written as RFC 3339 UTC with milliseconds (`2026-07-01T09:30:00.123Z`).
public enum Timestamps {
    public static func rfc3339(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: Double(millis) / 1000)
            .formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
