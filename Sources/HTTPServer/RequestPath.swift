/// The path of a request target, percent-decoded by the server itself rather than by libmicrohttpd, whose decoding
/// is lenient: it keeps malformed escapes as they are, turns `%00` into a NUL that silently ends the path, and passes
/// on bytes that are not UTF-8 (which then become U+FFFD, so two different paths could name the same thing).
///
/// A path decodes only when it starts with `/`, every `%` is followed by two hex digits, and the decoded bytes are
/// well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) without NUL or other control
/// characters. Anything else is refused, never repaired.
enum RequestPath {
    /// Why a path does not decode.
    enum Defect: Error, Equatable, CustomStringConvertible {
        case notAbsolute
        case malformedEscape
        case nul
        case controlCharacter
        case invalidUTF8

        var description: String {
            switch self {
            case .notAbsolute: return "it does not start with /"
            case .malformedEscape: return "a % is not followed by two hexadecimal digits"
            case .nul: return "it contains a NUL byte"
            case .controlCharacter: return "it contains a control character"
            case .invalidUTF8: return "its bytes are not valid UTF-8"
            }
        }
    }

    /// The part of a raw request target before the query.
    static func rawPath(of target: [UInt8]) -> ArraySlice<UInt8> {
        target.prefix { $0 != UInt8(ascii: "?") }
    }

    /// The decoded path of `target` (the query, if any, is left out).
    static func decode(target: [UInt8]) -> Result<String, Defect> {
        let raw = rawPath(of: target)
        guard raw.first == UInt8(ascii: "/") else { return .failure(.notAbsolute) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            var byte = raw[index]
            if byte == UInt8(ascii: "%") {
                guard raw.endIndex - index >= 3,
                      let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2]) else {
                    return .failure(.malformedEscape)
                }
                byte = high << 4 | low
                index += 3
            } else {
                index += 1
            }
            if byte == 0 { return .failure(.nul) }
            if byte < 0x20 || byte == 0x7F { return .failure(.controlCharacter) }
            bytes.append(byte)
        }
        guard let path = String(validating: bytes, as: UTF8.self) else { return .failure(.invalidUTF8) }
        return .success(path)
    }

    /// The raw path for messages and logs: printable ASCII as sent (escapes stay escaped), every other byte as
    /// `%XX`, cut after `limit` characters, so a hostile path can neither forge log fields nor flood them.
    static func printable(_ raw: ArraySlice<UInt8>, limit: Int = 256) -> String {
        var text = ""
        for byte in raw {
            if text.utf8.count >= limit {
                text += "…"
                break
            }
            if byte > 0x20 && byte < 0x7F {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
