import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for the HTTPClient tests: one thread accepts, one
/// thread per connection answers canned responses per path, keep-alive supported. It parses
/// just enough: the head up to CRLFCRLF, then Content-Length body bytes.
final class HTTPClientStubServer: @unchecked Sendable {
    struct Request {
        let method: String
        let path: String
        /// Request line and header lines exactly as received, CRLF-separated.
        let head: String
        let body: [UInt8]
    }

    let port: UInt16
    private let listenFD: Int32
    private let counter = NSLock()
    private var accepted = 0

    /// Connections accepted so far (one per TCP connection, not per request).
    var acceptedConnections: Int { counter.withLock { accepted } }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1024) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        listenFD = fd
        port = Self.boundPort(of: fd)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops accepting. Open connections end when the client closes them.
    func stop() {
        shutdown(listenFD, Int32(SHUT_RDWR))   // wakes the blocked accept()
        close(listenFD)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// A port on 127.0.0.1 that nobody listens on: bound by the kernel, then released.
    static func unusedPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopback(port: 0)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let port = boundPort(of: fd)
        close(fd)
        return port
    }

    // MARK: Canned responses

    private func respond(to request: Request) -> [UInt8] {
        switch request.path {
        case "/hello":
            return Self.response(200, ["Content-Type: text/plain", "X-Stub: Hello"], Array("hello world".utf8))
        case "/status/500":
            return Self.response(500, [], Array("boom".utf8))
        case "/status/429":
            return Self.response(429, ["Retry-After: 2"], [])
        case "/slow":
            usleep(2_000_000)
            return Self.response(200, [], Array("late".utf8))
        case "/echo":
            return Self.response(200, ["X-Echo-Method: \(request.method)"], request.body)
        case "/head":
            return Self.response(200, [], Array(request.head.utf8))
        case "/redirect":
            return Self.response(302, ["Location: /hello"], [])
        case "/big":
            return Self.response(200, [], [UInt8](repeating: UInt8(ascii: "x"), count: 100_000))
        case "/continue":
            // An interim response whose headers must not leak into the final one.
            return Array("HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n".utf8)
                + Self.response(200, ["X-Final: yes"], Array("ok".utf8))
        default:
            return Self.response(404, [], [])
        }
    }

    private static func response(_ status: Int, _ headers: [String], _ body: [UInt8]) -> [UInt8] {
        let head = (["HTTP/1.1 \(status) Stub"] + headers + ["Content-Length: \(body.count)", "", ""])
            .joined(separator: "\r\n")
        return Array(head.utf8) + body
    }

    // MARK: Sockets

    private func acceptLoop() {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return   // listening socket shut down
            }
            counter.withLock { accepted += 1 }
            Thread.detachNewThread { [self] in serve(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var pending: [UInt8] = []
        while let request = Self.readRequest(fd, &pending) {
            let bytes = respond(to: request)
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent != bytes.count { return }
        }
    }

    /// Reads one request from `fd`, keeping bytes past it in `pending`; nil at EOF or error.
    private static func readRequest(_ fd: Int32, _ pending: inout [UInt8]) -> Request? {
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if headEnd == nil, let range = pending.firstRange(of: separator) { headEnd = range.lowerBound }
            if let end = headEnd {
                let head = String(decoding: pending[..<end], as: UTF8.self)
                let length = contentLength(head)
                let bodyStart = end + separator.count
                if pending.count - bodyStart >= length {
                    let body = Array(pending[bodyStart..<bodyStart + length])
                    pending.removeFirst(bodyStart + length)
                    let requestLine = head.prefix { $0 != "\r" }.split(separator: " ")
                    guard requestLine.count >= 2 else { return nil }
                    return Request(method: String(requestLine[0]), path: String(requestLine[1]), head: head, body: body)
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            pending.append(contentsOf: chunk[..<count])
        }
    }

    private static func contentLength(_ head: String) -> Int {
        for line in head.components(separatedBy: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        return 0
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func boundPort(of fd: Int32) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
