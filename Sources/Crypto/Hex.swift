/// Base16 encoding (RFC 4648 §8).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex, two characters per byte.
    /// Written straight into the string's storage (no byte array first): a request id, a body's digest.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { characters in
            for (index, byte) in bytes.enumerated() {
                characters[2 * index] = digits[Int(byte >> 4)]
                characters[2 * index + 1] = digits[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }

    /// Decodes upper- or lowercase hex. Returns nil for odd length or any non-hex character
    /// (including whitespace and a `0x` prefix).
    public static func decode(_ string: String) -> [UInt8]? {
        decode(utf8: string.utf8)
    }

    /// ``decode(_:)`` of text given as its UTF-8 bytes — a part of a header value, `value.utf8.dropFirst(7)` —
    /// read where they are, without a string made of them first.
    public static func decode<UTF8Bytes: Collection<UInt8>>(utf8 text: UTF8Bytes) -> [UInt8]? {
        if let decoded = text.withContiguousStorageIfAvailable({ decode(contiguous: $0) }) { return decoded }
        return Array(text).withUnsafeBufferPointer { decode(contiguous: $0) }
    }

    private static func decode(contiguous text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: text.count / 2) { bytes, initialized in
            for index in 0..<bytes.count {
                let high = nibble(text[2 * index]), low = nibble(text[2 * index + 1])
                guard (high | low) < 0x10 else {
                    valid = false
                    break
                }
                bytes[index] = high << 4 | low
                initialized = index + 1
            }
        }
        return valid ? bytes : nil
    }

    /// The value of a hex digit of either case; 0xFF for any other character. Two comparisons instead of three ranges
    /// and an optional: setting bit 5 turns `A`–`F`, and only them, into `a`–`f`.
    @inline(__always)
    private static func nibble(_ character: UInt8) -> UInt8 {
        let digit = character &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = (character | 0x20) &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : 0xFF
    }
}
