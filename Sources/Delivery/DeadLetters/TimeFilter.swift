import Foundation
import GatewayKit

/// Reads time filters (the dead-letter listing's "since", the reports' "from" and "to") into unix milliseconds: an
/// RFC 3339 time (`2025-01-31T08:00:00Z`, fractional seconds and offsets allowed) or a duration meaning that long ago
/// (`24h`, `7d`).
public enum TimeFilter {
    public static func sinceMillis(_ text: String, now: Int64) -> Int64? {
        if let ago = DurationText.milliseconds(text) { return now - Int64(ago) }
        for fractional in [false, true] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = fractional ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
            // Rounded: 1750000000.001 s is 1750000000000.9998 ms in binary floating point.
            if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        return nil
    }

    /// The query parameter `name` of `parameters` as unix ms (nil when absent); a value that is neither form adds a
    /// field error naming it to `errors` (report filters: `from`, `to`).
    public static func parameter(_ name: String, of parameters: [String: String], now: Int64,
                                 errors: inout [FieldError]) -> Int64? {
        guard let text = parameters[name] else { return nil }
        guard let millis = sinceMillis(text, now: now) else {
            errors.append(FieldError(field: name, message: "must be an RFC 3339 time (2026-07-01T00:00:00Z) or a "
                                     + "duration ago (30d, 12h)"))
            return nil
        }
        return millis
    }
}
