import Foundation
import HTTPServer
import HTTPTesting
import XCTest

/// `maxBodyBytes`: declared, chunked and exact-size bodies.
final class HTTPServerBodyLimitTests: XCTestCase {
    private let limit = 1024

    /// A server with a 1 KiB limit that echoes body sizes and records bodyTooLarge calls.
    private func startLimitedServer(tooLarge: LockedBox<[(String, Int)]>) throws -> HTTPServer {
        try startTestServer(
            configure: { $0.maxBodyBytes = self.limit },
            onTooLarge: { request, limit in
                tooLarge.update { $0.append((request.path, request.body.count)) }
                return .text("limit \(limit)", status: 413)
            },
            { request, respond in respond(.text("got \(request.body.count)")) })
    }

    func testDeclaredContentLengthOverTheLimitIsRefusedBeforeTheBody() throws {
        let tooLarge = LockedBox<[(String, Int)]>([])
        let server = try startLimitedServer(tooLarge: tooLarge)
        let socket = try TestSocket(port: server.port)
        // Headers only: the answer must not wait for a body that would be thrown away.
        let response = try socket.roundTrip("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: \(limit + 1)\r\n\r\n")

        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(response.bodyText, "limit \(limit)")
        XCTAssertEqual(tooLarge.get().map(\.0), ["/big"])
        XCTAssertEqual(tooLarge.get().map(\.1), [0], "bodyTooLarge sees an empty body")
    }

    func testHugeDeclaredContentLengthWithExpectContinueGets413() throws {
        let tooLarge = LockedBox<[(String, Int)]>([])
        let server = try startLimitedServer(tooLarge: tooLarge)
        let response = try TestSocket(port: server.port).roundTrip(
            "PUT /x HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 99999999999\r\n\r\n")
        XCTAssertEqual(response.status, 413)
    }

    func testChunkedBodyOverTheLimitIsReadAndRefused() throws {
        let tooLarge = LockedBox<[(String, Int)]>([])
        let server = try startLimitedServer(tooLarge: tooLarge)
        var request = Array("POST /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for _ in 0..<8 {  // 8 × 300 bytes = 2400 > 1024
            request += Array("12C\r\n".utf8) + [UInt8](repeating: 0x41, count: 300) + Array("\r\n".utf8)
        }
        request += Array("0\r\n\r\n".utf8)
        let socket = try TestSocket(port: server.port)
        let response = try socket.roundTrip(request)

        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(tooLarge.get().map(\.0), ["/chunked"])
        XCTAssertEqual(tooLarge.get().map(\.1), [0])
    }

    func testBodyExactlyAtTheLimitIsAccepted() throws {
        let tooLarge = LockedBox<[(String, Int)]>([])
        let server = try startLimitedServer(tooLarge: tooLarge)
        let body = [UInt8](repeating: 0x7A, count: limit)
        let plain = try TestSocket(port: server.port).roundTrip(rawRequest(method: "POST", path: "/", body: body))
        XCTAssertEqual(plain.status, 200)
        XCTAssertEqual(plain.bodyText, "got \(limit)")

        var chunked = Array("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n".utf8)
        chunked += body + Array("\r\n0\r\n\r\n".utf8)
        let dechunked = try TestSocket(port: server.port).roundTrip(chunked)
        XCTAssertEqual(dechunked.status, 200)
        XCTAssertEqual(dechunked.bodyText, "got \(limit)")
        XCTAssertTrue(tooLarge.get().isEmpty)
    }

    func testOneByteOverTheLimitWithoutContentLengthHintIsRefused() throws {
        let tooLarge = LockedBox<[(String, Int)]>([])
        let server = try startLimitedServer(tooLarge: tooLarge)
        var chunked = Array("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n".utf8)
        chunked += [UInt8](repeating: 0x7A, count: limit + 1) + Array("\r\n0\r\n\r\n".utf8)
        XCTAssertEqual(try TestSocket(port: server.port).roundTrip(chunked).status, 413)
    }

    func testDefaultBodyTooLargeIsA413() throws {
        struct Plain: HTTPHandler {
            func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
                respond(.text("ok"))
            }
        }
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.maxBodyBytes = 10
        let server = HTTPServer(configuration: configuration, handler: Plain())
        try server.start()
        defer { server.stop() }
        let response = try TestSocket(port: server.port)
            .roundTrip(rawRequest(method: "POST", path: "/", body: Array(repeating: 1, count: 11)))
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(response.header("content-type"), "text/plain; charset=utf-8")
    }
}
