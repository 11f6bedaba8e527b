import Foundation
@testable import HTTPServer
import HTTPTesting
import XCTest

/// What the server refuses by itself, before the handler: paths that do not decode cleanly and heads over the limit.
/// Requests go over a raw socket because no HTTP client would send most of them.
final class HTTPServerRequestTargetTests: XCTestCase {
    /// Records what the server handed over: handled paths and rejections.
    private final class RecordingHandler: HTTPHandler, @unchecked Sendable {
        let handled = LockedBox<[String]>([])
        let rejections = LockedBox<[HTTPRequestRejection]>([])

        func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
            handled.update { $0.append(request.path) }
            respond(.text("path=\(request.path) query=\(request.query.sorted { $0.key < $1.key })"))
        }

        func rejected(_ request: HTTPRequest, because rejection: HTTPRequestRejection) -> HTTPResponse {
            rejections.update { $0.append(rejection) }
            return .text("rejected: \(rejection)", status: rejection.status)
        }
    }

    private let handler = RecordingHandler()

    private func startServer() throws -> HTTPServer {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: handler)
        try server.start()
        addTeardownBlock { server.stop(drainTimeout: 2) }
        return server
    }

    private func send(_ bytes: [UInt8], to server: HTTPServer) throws -> TestResponse {
        let socket = try TestSocket(port: server.port, readTimeout: 5)
        try? socket.send(bytes)
        return try XCTUnwrap(TestResponse.parse(socket.readToEnd()), "no response")
    }

    private func get(_ target: [UInt8], on server: HTTPServer) throws -> TestResponse {
        try send(Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8),
                 to: server)
    }

    private func get(_ target: String, on server: HTTPServer) throws -> TestResponse {
        try get(Array(target.utf8), on: server)
    }

    func testPathsThatDoNotDecodeCleanlyAreRejectedNamingThePath() throws {
        let server = try startServer()
        let cases: [(target: [UInt8], shown: String, reason: RequestPath.Defect)] = [
            (Array("/v1/deals/%00".utf8), "/v1/deals/%00", .nul),
            (Array("/v1/deals".utf8) + [0x00], "/v1/deals", .nul),
            (Array("/v1/deals/".utf8) + [0x00] + Array("x?a=b".utf8), "/v1/deals/", .nul),
            (Array("/v1/rooms/%E0%80%AF".utf8), "/v1/rooms/%E0%80%AF", .invalidUTF8),  // overlong "/"
            (Array("/v1/rooms/%C0%AF".utf8), "/v1/rooms/%C0%AF", .invalidUTF8),        // overlong "/"
            (Array("/v1/rooms/%ED%A0%80".utf8), "/v1/rooms/%ED%A0%80", .invalidUTF8),  // a UTF-16 surrogate
            (Array("/v1/rooms/".utf8) + [0xFF], "/v1/rooms/%FF", .invalidUTF8),        // a raw byte
            (Array("/v1/rooms/%zz".utf8), "/v1/rooms/%zz", .malformedEscape),
            (Array("/v1/rooms/%4".utf8), "/v1/rooms/%4", .malformedEscape),
            (Array("/v1/rooms/a%0Ab".utf8), "/v1/rooms/a%0Ab", .controlCharacter),
        ]
        for (target, shown, reason) in cases {
            let response = try get(target, on: server)
            XCTAssertEqual(response.status, 400, shown)
            XCTAssertEqual(response.bodyText, "rejected: the request path \(shown) is not valid: \(reason)")
        }
        XCTAssertEqual(handler.handled.get(), [], "no invalid path reached the handler")
        XCTAssertEqual(handler.rejections.get().count, cases.count)
    }

    func testOrdinaryAndPercentEncodedUTF8PathsReachTheHandlerDecoded() throws {
        let server = try startServer()
        XCTAssertEqual(try get("/v1/rooms/%C3%A9?q=a%20b", on: server).bodyText,
                       #"path=/v1/rooms/é query=[(key: "q", value: "a b")]"#)
        XCTAssertEqual(try get(Array("/v1/rooms/caf".utf8) + [0xC3, 0xA9], on: server).status, 200)
        XCTAssertEqual(try get("/v1/rooms/%F0%9F%98%80", on: server).status, 200)
        XCTAssertEqual(try get("/healthz", on: server).status, 200)
        XCTAssertEqual(handler.handled.get(), ["/v1/rooms/é", "/v1/rooms/café", "/v1/rooms/😀", "/healthz"])
        XCTAssertEqual(handler.rejections.get(), [])
    }

    func testHeadOverTheLimitIsRejectedAndOneWithinItIsServed() throws {
        let server = try startServer()
        let limit = server.configuration.maxHeaderBytes
        func request(padding: Int) -> [UInt8] {
            let padding = String(repeating: "a", count: padding)
            return Array("GET /h HTTP/1.1\r\nHost: t\r\nConnection: close\r\nX-Big: \(padding)\r\n\r\n".utf8)
        }
        let big = try send(request(padding: 32 * 1024), to: server)
        XCTAssertEqual(big.status, 431)
        XCTAssertEqual(handler.rejections.get(), [.headTooLarge(limit: limit)])

        let fits = try send(request(padding: limit / 2), to: server)
        XCTAssertEqual(fits.status, 200)
        XCTAssertEqual(handler.handled.get(), ["/h"])
    }

    /// The documented exception: libmicrohttpd refuses these before calling the application, with its own HTML
    /// body and no Content-Type; the handler is never involved.
    func testContentLengthsLibmicrohttpdCannotParseAreStillRefusedByIt() throws {
        let server = try startServer()
        let malformed = try send(Array("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n".utf8), to: server)
        XCTAssertEqual(malformed.status, 400)
        XCTAssertNil(malformed.header("Content-Type"))
        let digits = "12345678901234567890123"
        let huge = try send(Array("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: \(digits)\r\n\r\n".utf8), to: server)
        XCTAssertEqual(huge.status, 413)
        XCTAssertNil(huge.header("Content-Type"))
        XCTAssertEqual(handler.handled.get(), [])
        XCTAssertEqual(handler.rejections.get(), [])
    }

    func testDeclaredContentLengthsAreDigitsBetweenOptionalBlanks() {
        XCTAssertEqual(RequestHead.contentLength("1162"), 1162)
        XCTAssertEqual(RequestHead.contentLength(" \t42 "), 42)
        XCTAssertEqual(RequestHead.contentLength("18446744073709551615"), UInt64.max)
        for refused in ["", "  ", "-1", "+1", "1 2", "0x10", "4e3", "18446744073709551616", "١٢"] {
            XCTAssertNil(RequestHead.contentLength(refused), refused)
        }
    }

    func testDecodingRules() {
        XCTAssertEqual(try RequestPath.decode(target: Array("/a%2Fb%41?x=%00".utf8)).get(), "/a/bA",
                       "the query is not the path")
        XCTAssertEqual(RequestPath.decode(target: Array("a/b".utf8)), .failure(.notAbsolute))
        XCTAssertEqual(RequestPath.decode(target: Array("/%F4%90%80%80".utf8)), .failure(.invalidUTF8), "past U+10FFFF")
        XCTAssertEqual(RequestPath.decode(target: Array("/%7F".utf8)), .failure(.controlCharacter))
        XCTAssertEqual(RequestPath.decode(target: Array("/%".utf8)), .failure(.malformedEscape))
        XCTAssertEqual(RequestPath.printable(Array("/a b\u{1}%".utf8)[...]), "/a%20b%01%")
        XCTAssertEqual(RequestPath.printable(Array(repeating: UInt8(ascii: "a"), count: 300)[...]).count, 257)
    }
}
