/// Times of day written `HH:MM` (24-hour clock) in config files and on the command line, as minutes after midnight.
public enum TimeOfDayText {
    /// Minutes after midnight for exactly `HH:MM` (surrounding spaces ignored); nil otherwise.
    public static func minutes(_ text: some StringProtocol) -> Int? {
        let parts = String(text).trimmingSpaces.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
              let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    /// `HH:MM` for minutes after midnight.
    public static func format(_ minutes: Int) -> String {
        let hour = minutes / 60, minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
