/// Byte-level checks on the runs of a JSON string between its quotes and escapes, for ``JSONParser``: where a run may
/// end, whether it is valid UTF-8, and its text.
enum JSONStringBytes {
    /// Whether any of the eight bytes of `word` is a quote, a backslash or a control character (below 0x20). Exact:
    /// `x - 0x01…01 & ~x & 0x80…80` is non-zero exactly when a byte of `x` is zero, and with `0x20…20` subtracted,
    /// exactly when one is below 0x20.
    @inline(__always)
    static func mayEndRun(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs != 0
    }

    /// Whether `range` of `bytes` is valid UTF-8, by the rules of `String(validating:)`, without building a string.
    static func isUTF8(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var input = UnsafeBufferPointer(rebasing: buffer[range]).makeIterator()
            var decoder = Unicode.UTF8()
            while true {
                switch decoder.decode(&input) {
                case .scalarValue: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
    }

    /// `range` of `bytes` as a string, nil when it is not valid UTF-8. ASCII is valid UTF-8 as it stands: decoding it
    /// skips the validation (and the generic code behind it, which looks up type metadata on every call).
    static func text(_ bytes: [UInt8], _ range: Range<Int>, ascii: Bool) -> String? {
        bytes.withUnsafeBufferPointer { buffer in
            let run = UnsafeBufferPointer(rebasing: buffer[range])
            return ascii ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
        }
    }
}
