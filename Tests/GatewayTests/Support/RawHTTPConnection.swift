import Foundation
import GatewayKit
#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP connection to the gateway, for requests no HTTP client library sends (NUL bytes, malformed escapes,
/// oversized heads, bytes trickled one at a time), optionally from another loopback address to play a second client.
final class RawHTTPConnection: @unchecked Sendable {
    /// A response as read off the wire (framed by Content-Length, as the gateway sends them).
    struct Response {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        var json: JSONValue? { try? JSONParser.parse(body) }
    }

    private let fd: Int32

    /// Connects to 127.0.0.1:`port`, from `source` (another 127.x.y.z address) when given.
    init(port: UInt16, source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EBADF) }
        if let source {
            var local = Self.address(source, port: 0)
            guard Self.withSockaddr(&local, { bind(fd, $0, $1) }) == 0 else {
                close(fd)
                throw POSIXError(.EADDRNOTAVAIL)
            }
        }
        var remote = Self.address("127.0.0.1", port: port)
        guard Self.withSockaddr(&remote, { connect(fd, $0, $1) }) == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit {
        close(fd)
    }

    /// Sends everything; false once the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// One response, or nil when none came within `timeout` (or the server closed without one).
    func readResponse(timeout: TimeInterval = 5) -> Response? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if let response = Self.parse(received) { return response }
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 20) >= 0 else { return nil }
            guard ready.revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return Self.parse(received) }
            received += buffer[0..<count]
        }
        return nil
    }

    /// Waits up to `timeout` for the server to close the connection (end-of-stream or reset); the seconds from
    /// `start` until it did, or nil. Bytes the server sends meanwhile are dropped.
    func waitForClose(from start: Date, timeout: TimeInterval) -> TimeInterval? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                return Date().timeIntervalSince(start)
            }
            if count < 0 { Thread.sleep(forTimeInterval: 0.02) }
        }
        return nil
    }

    /// A complete response in `bytes`, or nil while it is incomplete.
    private static func parse(_ bytes: [UInt8]) -> Response? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4,
              let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let rest = Array(bytes[(end + 4)...])
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        guard rest.count >= length else { return nil }
        return Response(status: status, headers: headers, body: Array(rest.prefix(length)))
    }

    private static func address(_ host: String, port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }

    private static func withSockaddr(_ address: inout sockaddr_in,
                                     _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
