import Foundation

/// The IANA time zone names this system knows (read once).
public enum IANATimeZones {
    private static let known = Set(TimeZone.knownTimeZoneIdentifiers)

    public static func contains(_ name: String) -> Bool { known.contains(name) }
}
