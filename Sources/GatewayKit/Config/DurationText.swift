/// Durations written the way people write them in config files and on the command line: a number and a unit,
/// `250ms`, `5s`, `2m`, `12h`, `7d` (decimals allowed: `1.5h`). One parser for config keys and CLI flags so both
/// accept the same spellings.
public enum DurationText {
    private static let unitMilliseconds: [(suffix: String, factor: Double)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Milliseconds, or nil when `text` is not a non-negative number followed by one of `ms s m h d`.
    public static func milliseconds(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces.lowercased()
        // "ms" is checked before "m" and "s" so that "250ms" is not read as 250 m + "s".
        for unit in unitMilliseconds where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let value = Double(number), value.isFinite, value >= 0
            else { return nil }
            let millis = value * unit.factor
            guard millis <= Double(Int64.max / 2) else { return nil }
            return Int(millis.rounded())
        }
        return nil
    }

    /// The shortest exact spelling of `milliseconds` (`90000` → `90s`, `3600000` → `1h`), for docs and listings.
    public static func format(milliseconds: Int) -> String {
        for unit in unitMilliseconds.reversed() where milliseconds >= Int(unit.factor) && milliseconds % Int(unit.factor) == 0 {
            return "\(milliseconds / Int(unit.factor))\(unit.suffix)"
        }
        return "\(milliseconds)ms"
    }
}
