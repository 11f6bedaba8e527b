import Foundation

extension TimeZone {
    /// The IANA zone `identifier`, or UTC when this system does not know it (config keys and POS rows are checked
    /// against the known names, so only a database written under other time zone data gets here).
    public static func named(_ identifier: String) -> TimeZone {
        TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0)!
    }
}
