import GatewayKit

/// Cheap, deterministic mutations of seed inputs for the mutation run in `swift test`: the same seed gives the same
/// inputs on every machine, so a failure there is reproducible from its seed and index alone. Not a replacement for
/// libFuzzer, which is guided by coverage; this finds what a few thousand blind but well-aimed edits find.
public struct Mutator {
    /// A step of SplitMix64: small, fast, and identical everywhere.
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (`bound` > 0).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Bytes that change how parsers of text split and decode: structure, quotes, escapes, line ends, digits and
    /// signs, and bytes that are not UTF-8 on their own.
    static let interestingBytes: [UInt8] = Array("{}[]\",:\\\n\r\t ;-+.0919eEu".utf8) + [0x00, 0x7F, 0x80, 0xC0, 0xED, 0xFF]

    /// Text worth splicing in: JSON edge cases and the limits of 64-bit numbers.
    static let tokens: [String] = [
        "null", "true", "[]", "{}", "\"\"", "-0", "1e999", "-9223372036854775808", "9223372036854775807",
        "18446744073709551616", "0.5", "\\ud800", "\\udc00", "\\u0000", "\"a\":1,\"a\":2", ",,", "\u{FEFF}",
        String(repeating: "[", count: 70), "2026-02-29", "v1,", " ", "whsec_",
    ]

    /// One to three edits of `input`; `other` is a second seed for splices.
    public mutating func mutate(_ input: [UInt8], splicingWith other: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(3) {
            bytes = edit(bytes, other: other)
        }
        return bytes
    }

    private mutating func edit(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var bytes = input
        let position = below(bytes.count + 1)
        switch below(9) {
        case 0 where !bytes.isEmpty:  // flip one bit
            bytes[min(position, bytes.count - 1)] ^= UInt8(1) << UInt8(below(8))
        case 1 where !bytes.isEmpty:  // overwrite one byte with an interesting one
            bytes[min(position, bytes.count - 1)] = Self.interestingBytes[below(Self.interestingBytes.count)]
        case 2:  // insert an interesting byte
            bytes.insert(Self.interestingBytes[below(Self.interestingBytes.count)], at: position)
        case 3:  // truncate
            bytes.removeSubrange(position...)
        case 4 where !bytes.isEmpty:  // delete a run
            bytes.removeSubrange(position..<min(bytes.count, position + 1 + below(16)))
        case 5 where !bytes.isEmpty:  // repeat a run in place
            let end = min(bytes.count, position + 1 + below(32))
            bytes.insert(contentsOf: bytes[min(position, end)..<end], at: position)
        case 6:  // splice: this input's head, the other's tail
            let cut = below(other.count + 1)
            bytes = Array(bytes[..<position]) + Array(other[cut...])
        case 7:  // insert a token
            bytes.insert(contentsOf: Array(Self.tokens[below(Self.tokens.count)].utf8), at: position)
        default:  // change one value of a JSON document, keeping it JSON
            bytes = mutateJSON(bytes) ?? bytes
        }
        return bytes
    }

    /// Replaces one value of the document (chosen among all of its values) with another kind of value, or removes
    /// it from its array or object; nil when `bytes` is not JSON. Reaches the field checks behind the parser, which
    /// byte edits mostly stop at.
    public mutating func mutateJSON(_ bytes: [UInt8]) -> [UInt8]? {
        guard let document = try? JSONParser.parse(bytes) else { return nil }
        var remaining = below(Self.countValues(document))
        let replacements: [JSONValue?] = [
            nil, .null, .bool(true), .integer(0), .integer(-1), .integer(Int64.max), .number(1.5), .number(-1e300),
            .string(""), .string(" "), .string("x"), .string("2026-02-29"), .string("1767225600"),
            .string(String(repeating: "é", count: 300)), .array([]), .object([:]), .array([.string("x")]),
        ]
        let replacement = replacements[below(replacements.count)]
        return JSONWriter.bytes(Self.replace(in: document, at: &remaining, with: replacement) ?? .null)
    }

    private static func countValues(_ value: JSONValue) -> Int {
        switch value {
        case .array(let elements): return 1 + elements.reduce(0) { $0 + countValues($1) }
        case .object(let members): return 1 + members.values.reduce(0) { $0 + countValues($1) }
        default: return 1
        }
    }

    /// `value` with its `index`-th value in pre-order (keys sorted) replaced; nil means "remove me".
    private static func replace(in value: JSONValue, at index: inout Int, with replacement: JSONValue?) -> JSONValue? {
        if index == 0 {
            index = -1
            return replacement
        }
        index -= 1
        switch value {
        case .array(let elements):
            return .array(elements.compactMap { element in
                index < 0 ? element : replace(in: element, at: &index, with: replacement)
            })
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for key in members.keys.sorted() {
                let member = members[key]!
                if let kept = index < 0 ? member : replace(in: member, at: &index, with: replacement) {
                    result[key] = kept
                }
            }
            return .object(result)
        default:
            return value
        }
    }
}
