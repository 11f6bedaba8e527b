import Foundation
import GatewayKit

/// Reads a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
enum RetryAfter {
    /// Milliseconds to wait from `now` (unix ms), or nil when the header is absent or unreadable. A date in the past
    /// means "now" (0).
    static func milliseconds(_ header: String?, now: Int64) -> Int? {
        guard let text = header?.trimmingSpaces, !text.isEmpty else { return nil }
        if text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int(text.prefix(12)) else { return nil }
            return seconds * 1000
        }
        guard let date = httpDate(text) else { return nil }
        return max(0, Int(Int64(date.timeIntervalSince1970 * 1000) - now))
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and the two obsolete forms receivers must still accept.
    private static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
