/// Why a body is not acceptable JSON; `offset` is the byte position where parsing stopped.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case invalidUTF8
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidEscape
        case invalidNumber
        case tooDeep
        case trailingData
        /// An object names the same member twice (`{"type": "a", "type": "b"}`): which one counts would be a guess.
        case duplicateKey(String)
    }
    public let reason: Reason
    public let offset: Int

    public var description: String {
        switch reason {
        case .invalidUTF8: return "invalid UTF-8 at byte \(offset)"
        case .unexpectedEnd: return "unexpected end of JSON at byte \(offset)"
        case .unexpectedByte(let b): return "unexpected character 0x\(String(b, radix: 16)) at byte \(offset)"
        case .invalidEscape: return "invalid escape sequence at byte \(offset)"
        case .invalidNumber: return "invalid number at byte \(offset)"
        case .tooDeep: return "nesting deeper than \(JSONParser.maxDepth) levels at byte \(offset)"
        case .trailingData: return "unexpected data after the JSON value at byte \(offset)"
        case .duplicateKey(let key): return "the key \"\(key)\" appears twice in one object (at byte \(offset))"
        }
    }
}
