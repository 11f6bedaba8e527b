import Glibc

/// HTTP/1.1 message framing on the raw bytes of one keep-alive connection, for the bench's socket client and stub
/// server: headers up to the blank line, then a `Content-Length` body (no chunked encoding: neither side sends it).
struct HTTPFrames {
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 8192)
    /// True once a waiting request asked for `100 Continue` and was answered (reset per message).
    var continued = false

    private static let contentLength = Array("content-length:".utf8)
    private static let expectContinue = Array("expect: 100-continue".utf8)

    /// Appends what `fd` has available; false when nothing was (it would block).
    /// - Throws: ``BenchSocketError/closedByPeer`` at the end of the stream.
    mutating func receive(from fd: Int32) throws -> Bool {
        let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { return false }
            throw BenchSocketError.io(errno)
        }
        guard count > 0 else { throw BenchSocketError.closedByPeer }
        buffer += scratch[0..<count]
        return true
    }

    /// Removes the next complete message and returns its first line (request line or status line); nil while the
    /// message is incomplete.
    mutating func next() -> ArraySlice<UInt8>? {
        guard let end = headerEnd() else { return nil }
        let total = end + 4 + (header(Self.contentLength, before: end).map(Self.number) ?? 0)
        guard buffer.count >= total else { return nil }
        let firstLine = buffer[0..<(buffer.firstIndex(of: 13) ?? end)]
        let line = ArraySlice(Array(firstLine))
        buffer.removeFirst(total)
        continued = false
        return line
    }

    /// True when the headers are in, ask for `100 Continue`, and have not been answered yet.
    var wantsContinue: Bool {
        guard !continued, let end = headerEnd() else { return false }
        return header(Self.expectContinue, before: end) != nil
    }

    /// The three-digit status of a status line (`HTTP/1.1 201 Created`).
    static func status(_ line: ArraySlice<UInt8>) -> Int? {
        let digits = line.dropFirst(9).prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return number(digits)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int {
        digits.prefix { (48...57).contains($0) }.reduce(0) { $0 * 10 + Int($1) - 48 }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (65...90).contains(byte) ? byte + 32 : byte
    }

    private func headerEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10
            && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// The value (spaces skipped) of the header line starting with `prefix` (lowercase, matched case-insensitively).
    private func header(_ prefix: [UInt8], before end: Int) -> ArraySlice<UInt8>? {
        var index = 0
        while index < end {
            if buffer[index] == 10, index + prefix.count < end,
               prefix.indices.allSatisfy({ Self.lowercased(buffer[index + 1 + $0]) == prefix[$0] }) {
                var start = index + 1 + prefix.count
                while start < end, buffer[start] == 32 { start += 1 }
                return buffer[start..<end]
            }
            index += 1
        }
        return nil
    }
}
