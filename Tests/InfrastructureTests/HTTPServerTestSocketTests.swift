import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// A blocking POSIX TCP client for 127.0.0.1, for the cases URLSession cannot express:
/// malformed bytes, partial requests, stalling, many simultaneous connections.
final class TestSocket: @unchecked Sendable {
    enum Failure: Error, Equatable {
        case socket(errno: Int32)
        case connect(errno: Int32)
        case send(errno: Int32)
        case closedBeforeResponse([UInt8])
    }

    let fd: Int32

    /// Connects to 127.0.0.1:`port`; reads give up after `readTimeout`.
    init(port: UInt16, readTimeout: TimeInterval = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket(errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let error = errno
            close(fd)
            throw Failure.connect(errno: error)
        }
        var timeout = timeval(tv_sec: Int(readTimeout), tv_usec: Int((readTimeout - floor(readTimeout)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// Writes everything; MSG_NOSIGNAL so a server that already closed gives EPIPE, not SIGPIPE.
    func send(_ bytes: [UInt8]) throws {
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
    func receiveSome() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { return nil }
        return Array(buffer[0..<count])
    }

    /// Everything until the peer closes (or the read timeout / a reset ends it).
    func readToEnd() -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = receiveSome(), !chunk.isEmpty { all += chunk }
        return all
    }

    /// Reads exactly one response framed by Content-Length (what libmicrohttpd sends for buffers).
    func readResponse() throws -> TestResponse {
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

    func roundTrip(_ text: String) throws -> TestResponse {
        try roundTrip(Array(text.utf8))
    }

    func roundTrip(_ bytes: [UInt8]) throws -> TestResponse {
        try send(bytes)
        return try readResponse()
    }

    /// Shuts down our sending side, as a client that finished its request would.
    func finishSending() {
        shutdown(fd, Int32(SHUT_WR))
    }
}

/// A response as read off the wire, parsed just enough for assertions.
struct TestResponse {
    let status: Int
    let headers: [(String, String)]
    let body: [UInt8]
    /// False while fewer body bytes than Content-Length arrived.
    let isComplete: Bool

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// nil until the header block is complete.
    static func parse(_ bytes: [UInt8]) -> TestResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.dropLast(3).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
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
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) }
        guard let length else {
            return TestResponse(status: status, headers: headers, body: rest, isComplete: true)
        }
        return TestResponse(status: status, headers: headers, body: Array(rest.prefix(length)),
                            isComplete: rest.count >= length)
    }
}

/// Sanity checks of the test client's own response parsing, so server tests fail for server reasons.
final class HTTPServerTestSocketTests: XCTestCase {
    func testParsesStatusHeadersAndBody() throws {
        let raw = Array("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 3\r\nX-A: b c\r\n\r\nabcEXTRA".utf8)
        let response = try XCTUnwrap(TestResponse.parse(raw))
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(response.header("x-a"), "b c")
        XCTAssertEqual(response.bodyText, "abc")
        XCTAssertTrue(response.isComplete)
    }

    func testIncompleteInputIsRecognised() {
        XCTAssertNil(TestResponse.parse(Array("HTTP/1.1 200 OK\r\nContent-Len".utf8)))
        let partial = TestResponse.parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8))
        XCTAssertEqual(partial?.isComplete, false)
    }
}
