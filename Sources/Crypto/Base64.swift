/// Base64 (RFC 4648 §4) with a strict decoder, plus the URL-safe unpadded form used for tokens.
///
/// Implemented here rather than with `Data(base64Encoded:)` so that what is accepted does not
/// depend on the Foundation version: signatures and secrets arrive in base64 and sloppy
/// decoding would make two different strings decode to the same key.
public enum Base64 {
    private static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafeAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let padding = UInt8(ascii: "=")

    /// Standard alphabet, padded with `=` to a multiple of 4 characters.
    public static func encode(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: standardAlphabet, padded: true)
    }

    /// URL-safe alphabet (`-` and `_`), no padding (RFC 4648 §5).
    public static func encodeURLSafe(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: urlSafeAlphabet, padded: false)
    }

    /// Decodes what ``encodeURLSafe(_:)`` produces (URL-safe alphabet, no padding), as strictly as ``decode(_:)``.
    public static func decodeURLSafe(_ string: String) -> [UInt8]? {
        guard !string.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") || $0 == padding })
        else { return nil }
        var standard = Array(string.utf8).map { byte -> UInt8 in
            byte == UInt8(ascii: "-") ? UInt8(ascii: "+") : byte == UInt8(ascii: "_") ? UInt8(ascii: "/") : byte
        }
        while standard.count % 4 != 0 { standard.append(padding) }
        return decode(String(decoding: standard, as: UTF8.self))
    }

    /// Decodes standard, padded base64. Returns nil unless the input is exactly what ``encode(_:)``
    /// would produce for some bytes: length a multiple of 4, only alphabet characters, at most two
    /// `=` and only at the end, no whitespace or line breaks, and zero unused bits in the last
    /// character (so each byte string has exactly one accepted encoding).
    public static func decode(_ string: String) -> [UInt8]? {
        let characters = Array(string.utf8)
        guard characters.count % 4 == 0 else { return nil }
        guard !characters.isEmpty else { return [] }

        var paddingCount = 0
        if characters[characters.count - 1] == padding {
            paddingCount = characters[characters.count - 2] == padding ? 2 : 1
        }
        let dataCount = characters.count - paddingCount

        var bytes = [UInt8]()
        bytes.reserveCapacity(characters.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for character in characters[..<dataCount] {
            guard let value = standardValue(character) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        // Leftover bits are padding bits of the last character; a canonical encoder writes zeros.
        guard accumulator == 0 else { return nil }
        return bytes
    }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], padded: Bool) -> String {
        var characters = [UInt8]()
        characters.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            characters.append(alphabet[Int(group >> 18 & 0x3F)])
            characters.append(alphabet[Int(group >> 12 & 0x3F)])
            characters.append(alphabet[Int(group >> 6 & 0x3F)])
            characters.append(alphabet[Int(group & 0x3F)])
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let group = UInt32(bytes[index]) << 16
            characters.append(alphabet[Int(group >> 18 & 0x3F)])
            characters.append(alphabet[Int(group >> 12 & 0x3F)])
            if padded { characters.append(contentsOf: [padding, padding]) }
        case 2:
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            characters.append(alphabet[Int(group >> 18 & 0x3F)])
            characters.append(alphabet[Int(group >> 12 & 0x3F)])
            characters.append(alphabet[Int(group >> 6 & 0x3F)])
            if padded { characters.append(padding) }
        default:
            break
        }
        return String(decoding: characters, as: UTF8.self)
    }

    private static func standardValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
