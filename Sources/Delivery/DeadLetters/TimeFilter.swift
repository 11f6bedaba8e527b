import Foundation
import GatewayKit

/// Reads "since" arguments of the dead-letter listing (API and CLI) into unix milliseconds: an RFC 3339 time
/// (`2025-01-31T08:00:00Z`, fractional seconds and offsets allowed) or a duration meaning that long ago (`24h`, `7d`).
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
}
