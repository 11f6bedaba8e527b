/// Turns the raw header lines libcurl hands to the header callback into name/value pairs of
/// the final response only.
///
/// libcurl reports the headers of every response it reads, including interim `100 Continue`
/// responses, so each status line starts the list afresh.
struct ResponseHeaderCollector {
    private(set) var headers: [(String, String)] = []
    /// Headers past this count are ignored so a hostile server cannot grow memory without bound
    /// (libcurl 7.88 caps each header line, not their number).
    private let maxHeaders = 256

    /// Consumes one header line as libcurl delivers it (with its CRLF, not NUL-terminated).
    mutating func consume(line raw: UnsafeRawBufferPointer) {
        var line = raw[...]
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") {
            line = line.dropLast()
        }
        guard let first = line.first else { return }   // blank line ends a header block
        if line.starts(with: Self.statusLinePrefix) {
            headers.removeAll(keepingCapacity: true)
        } else if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            appendContinuation(line)
        } else if headers.count < maxHeaders, let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: Self.trimmed(line[line.index(after: colon)...]), as: UTF8.self)
            headers.append((name, value))
        }
    }

    /// Obsolete line folding (RFC 9112 §5.2): the line continues the previous header's value.
    private mutating func appendContinuation(_ line: Slice<UnsafeRawBufferPointer>) {
        guard let lastIndex = headers.indices.last else { return }
        headers[lastIndex].1 += " " + String(decoding: Self.trimmed(line), as: UTF8.self)
    }

    private static let statusLinePrefix = Array("HTTP/".utf8)

    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let start = bytes.firstIndex(where: { !isBlank($0) }),
              let end = bytes.lastIndex(where: { !isBlank($0) }) else { return bytes[bytes.endIndex...] }
        return bytes[start...end]
    }
}
