import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP client for the slow-client tests: it can connect from another loopback address (to play a second
/// client), send a request a byte at a time, and tell a connection the server closed from one that is merely quiet.
final class SlowClient: @unchecked Sendable {
    enum Failure: Error {
        case socket(errno: Int32)
        case bind(errno: Int32)
        case connect(errno: Int32)
    }

    let fd: Int32

    /// Connects to 127.0.0.1:`port`, from `source` (any 127.x.y.z address; the kernel's choice when nil).
    init(port: UInt16, source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket(errno: errno) }
        if let source {
            var local = Self.address(source, port: 0)
            let rc = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard rc == 0 else {
                let error = errno
                close(fd)
                throw Failure.bind(errno: error)
            }
        }
        var remote = Self.address("127.0.0.1", port: port)
        let rc = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let error = errno
            close(fd)
            throw Failure.connect(errno: error)
        }
    }

    deinit {
        close(fd)
    }

    /// Sends `bytes`; false when the server already closed the connection (EPIPE, ECONNRESET).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    /// Whether the server has closed the connection: end-of-stream or a reset is waiting. Does not block, and
    /// discards any bytes the server sent.
    var isClosedByServer: Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { continue }
            if count == 0 { return true }
            return errno != EAGAIN && errno != EWOULDBLOCK
        }
    }

    /// Sends `bytes` one at a time, `interval` apart, until the server closes the connection or `giveUp` passes.
    /// Returns the seconds from `start` to the moment the close was seen, or nil when it never came.
    func trickle(_ bytes: [UInt8], every interval: TimeInterval, from start: Date,
                 giveUp: TimeInterval) -> TimeInterval? {
        var index = 0
        while Date().timeIntervalSince(start) < giveUp {
            if isClosedByServer { return Date().timeIntervalSince(start) }
            if !send([bytes[index % bytes.count]]) { return Date().timeIntervalSince(start) }
            index += 1
            Thread.sleep(forTimeInterval: interval)
        }
        return nil
    }

    /// Reads one response (framed by Content-Length), waiting up to `timeout`; nil when none came.
    func readResponse(timeout: TimeInterval = 5) -> TestResponse? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if let response = TestResponse.parse(received), response.isComplete { return response }
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 20) >= 0 else { return nil }
            guard ready.revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return TestResponse.parse(received) }
            received += buffer[0..<count]
        }
        return nil
    }

    /// Waits up to `timeout` for the server to close the connection; the seconds from `start` until it did, or nil.
    func waitForClose(from start: Date, timeout: TimeInterval) -> TimeInterval? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if isClosedByServer { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    private static func address(_ host: String, port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }
}
