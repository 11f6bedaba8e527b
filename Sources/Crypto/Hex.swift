/// Base16 encoding (RFC 4648 §8).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex, two characters per byte.
    public static func encode(_ bytes: [UInt8]) -> String {
        var characters = [UInt8]()
        characters.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Decodes upper- or lowercase hex. Returns nil for odd length or any non-hex character
    /// (including whitespace and a `0x` prefix).
    public static func decode(_ string: String) -> [UInt8]? {
        let count = string.utf8.count
        guard count % 2 == 0 else { return nil }
        var characters = string.utf8.makeIterator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count / 2)
        while let first = characters.next(), let second = characters.next() {
            guard let high = nibble(first), let low = nibble(second) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
