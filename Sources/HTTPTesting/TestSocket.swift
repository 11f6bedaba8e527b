import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking POSIX TCP client for 127.0.0.1, for the cases URLSession cannot express:
/// malformed bytes, partial requests, stalling, many simultaneous connections.
package final class TestSocket: @unchecked Sendable {
    package enum Failure: Error, Equatable {
        case socket(errno: Int32)
        case bind(errno: Int32)
        case connect(errno: Int32)
        case send(errno: Int32)
        case closedBeforeResponse([UInt8])
    }

    package let fd: Int32

    /// Connects to 127.0.0.1:`port`, from `source` (another 127.x.y.z address, to play a second client) when given;
    /// blocking reads give up after `readTimeout`.
    ///
    /// A failed bind or connect leaves the socket to `deinit`, which Swift runs for a class whose initializer throws
    /// after every stored property is set: closing it here as well would close the number a second time, by then
    /// possibly another thread's descriptor (a server's connection or wake-up channel).
    package init(port: UInt16, source: String? = nil, readTimeout: TimeInterval = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket(errno: errno) }
        if let source {
            var local = Self.address(source, port: 0)
            guard Self.withSockaddr(&local, { bind(fd, $0, $1) }) == 0 else { throw Failure.bind(errno: errno) }
        }
        var remote = Self.address("127.0.0.1", port: port)
        let rc = Self.withSockaddr(&remote) { connect(fd, $0, $1) }
        guard rc == 0 else { throw Failure.connect(errno: errno) }
        var timeout = timeval(tv_sec: Int(readTimeout), tv_usec: Int((readTimeout - floor(readTimeout)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    package func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// Writes everything; MSG_NOSIGNAL so a server that already closed gives EPIPE, not SIGPIPE.
    package func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw Failure.send(errno: errno) }
            offset += written
        }
    }

    /// One read; empty at end of stream, nil on timeout or error (e.g. connection reset).
    package func receiveSome() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { return nil }
        return Array(buffer[0..<count])
    }

    /// Everything until the peer closes (or the read timeout / a reset ends it).
    package func readToEnd() -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = receiveSome(), !chunk.isEmpty { all += chunk }
        return all
    }

    /// Reads exactly one response framed by Content-Length (what libmicrohttpd sends for buffers).
    package func readResponse() throws -> TestResponse {
        var all: [UInt8] = []
        while true {
            if let response = TestResponse.parse(all), response.isComplete { return response }
            guard let chunk = receiveSome(), !chunk.isEmpty else {
                if let response = TestResponse.parse(all) { return response }
                throw Failure.closedBeforeResponse(all)
            }
            all += chunk
        }
    }

    package func roundTrip(_ text: String) throws -> TestResponse {
        try roundTrip(Array(text.utf8))
    }

    package func roundTrip(_ bytes: [UInt8]) throws -> TestResponse {
        try send(bytes)
        return try readResponse()
    }

    /// Shuts down our sending side, as a client that finished its request would.
    package func finishSending() {
        shutdown(fd, Int32(SHUT_WR))
    }

    static func address(_ host: String, port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }

    static func withSockaddr(_ address: inout sockaddr_in,
                             _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
