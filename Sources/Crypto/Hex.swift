/// Base16 encoding (RFC 4648 §8).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex, two characters per byte.
    /// Written straight into the string's storage (no byte array first): a request id, a body's digest.
    public static func encode(_ bytes: [UInt8]) -> String {
        encode(bytes, after: "")
    }

    /// `prefix` followed by the lowercase hex of `bytes`, made as one string (a dedupe key such as
    /// `whatsapp:<digest>` for every webhook) rather than a hex string and then a concatenation.
    public static func encode(_ bytes: [UInt8], after prefix: StaticString) -> String {
        let prefixCount = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: prefixCount + bytes.count * 2) { characters in
            prefix.withUTF8Buffer { prefix in
                for index in 0..<prefixCount { characters[index] = prefix[index] }
            }
            for (index, byte) in bytes.enumerated() {
                characters[prefixCount + 2 * index] = digits[Int(byte >> 4)]
                characters[prefixCount + 2 * index + 1] = digits[Int(byte & 0x0F)]
            }
            return prefixCount + bytes.count * 2
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
        var invalid: UInt8 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: text.count / 2) { bytes, initialized in
            values.withUnsafeBufferPointer { values in
                for index in 0..<bytes.count {
                    let high = values[Int(text[2 * index])], low = values[Int(text[2 * index + 1])]
                    invalid |= high | low
                    bytes[index] = high << 4 | low
                }
            }
            initialized = bytes.count
        }
        return invalid < 0x10 ? bytes : nil
    }

    /// Whether `byte` is an ASCII hex digit of either case.
    public static func isDigit(_ byte: UInt8) -> Bool { values[Int(byte)] != 0xFF }

    /// Each byte's value as a hex digit of either case, 0xFF for any other byte: looked up rather than tested, since a
    /// signature's digits and letters come in no order a branch could predict.
    private static let values: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt8(byte) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt8(byte) - UInt8(ascii: "A") + 10
        default: return 0xFF
        }
    }
}
