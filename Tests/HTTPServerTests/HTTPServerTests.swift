import Foundation
import FoundationNetworking
import HTTPServer
import HTTPTesting
import XCTest
#if canImport(FoundationNetworking)
#endif

/// Request parsing and response writing: what a handler sees and what the client gets back.
/// The shared test support (raw socket client, closure handler) lives at the bottom of this file.
final class HTTPServerTests: XCTestCase {
    func testGetWithQueryArgumentsAndDecodedPath() throws {
        let seen = LockedBox<HTTPRequest?>(nil)
        let server = try startTestServer { request, respond in
            seen.set(request)
            respond(.text("hello"))
        }
        let response = try TestSocket(port: server.port)
            .roundTrip("GET /hooks/a%20b?x=1&name=two%20words&x=2&flag HTTP/1.1\r\nHost: t\r\n\r\n")

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.bodyText, "hello")
        XCTAssertEqual(response.header("content-type"), "text/plain; charset=utf-8")
        let request = try XCTUnwrap(seen.get())
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(request.path, "/hooks/a b")
        XCTAssertEqual(request.query, ["x": "1", "name": "two words", "flag": ""])
        XCTAssertEqual(request.body, [])
        XCTAssertEqual(request.remoteAddress, "127.0.0.1")
    }

    func testPostBodyBytesArePreservedExactly() throws {
        // Every byte value, NULs, and sequences that are not valid UTF-8.
        var body: [UInt8] = Array(0...255)
        body += [0x00, 0x00, 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80, 0x0D, 0x0A, 0x0D, 0x0A, 0x00]
        let seen = LockedBox<[UInt8]?>(nil)
        let server = try startTestServer { request, respond in
            seen.set(request.body)
            respond(HTTPResponse(status: 200, headers: [("Content-Type", "application/octet-stream")],
                                 body: request.body))
        }
        let response = try TestSocket(port: server.port)
            .roundTrip(rawRequest(method: "POST", path: "/echo", body: body))

        XCTAssertEqual(seen.get(), body)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, body)
    }

    func testChunkedBodyIsDechunkedExactly() throws {
        let seen = LockedBox<[UInt8]?>(nil)
        let server = try startTestServer { request, respond in
            seen.set(request.body)
            respond(.text("ok"))
        }
        let head = "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        let chunks = "3\r\nab\u{0}\r\n3\r\n\u{FF}".utf8.map { $0 } + [0xFF] + Array("\r\n0\r\n\r\n".utf8)
        let response = try TestSocket(port: server.port).roundTrip(Array(head.utf8) + chunks)

        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(seen.get(), [0x61, 0x62, 0x00] + Array("\u{FF}".utf8) + [0xFF])
    }

    func testHeadersAreCaseInsensitiveAndKeepTheirOrder() throws {
        let seen = LockedBox<HTTPHeaders?>(nil)
        let server = try startTestServer { request, respond in
            seen.set(request.headers)
            respond(.text("ok"))
        }
        _ = try TestSocket(port: server.port).roundTrip(
            "GET / HTTP/1.1\r\nHost: t\r\nX-Hub-Signature-256: sha256=abc\r\nx-multi: 1\r\nX-MULTI: 2\r\n\r\n")

        let headers = try XCTUnwrap(seen.get())
        XCTAssertEqual(headers["x-hub-signature-256"], "sha256=abc")
        XCTAssertEqual(headers["X-HUB-SIGNATURE-256"], "sha256=abc")
        XCTAssertEqual(headers.values(for: "X-Multi"), ["1", "2"])
        XCTAssertNil(headers["missing"])
        XCTAssertEqual(headers.map(\.name), ["Host", "X-Hub-Signature-256", "x-multi", "X-MULTI"])
    }

    func testHeadersTypeLookupAndAdd() {
        var headers: HTTPHeaders = ["Content-Type": "a"]
        headers.add(name: "content-type", value: "b")
        headers.add(name: "Ünïcode", value: "c")
        XCTAssertEqual(headers["CONTENT-TYPE"], "a")
        XCTAssertEqual(headers.values(for: "Content-type"), ["a", "b"])
        XCTAssertEqual(headers["ünïcode"], nil, "only ASCII letters fold")
        XCTAssertEqual(headers["Ünïcode"], "c")
        XCTAssertEqual(headers.count, 3)
    }

    func testStatusAndResponseHeadersAreSentAndBadHeadersDropped() throws {
        let server = try startTestServer { _, respond in
            respond(HTTPResponse(status: 202,
                                 headers: [("X-Request-Id", "r-1"), ("X-Evil", "a\r\nInjected: yes"),
                                           ("Location", "/x"), ("Content-Length", "999")],
                                 body: Array("accepted".utf8)))
        }
        let response = try TestSocket(port: server.port).roundTrip("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(response.status, 202)
        XCTAssertEqual(response.header("x-request-id"), "r-1")
        XCTAssertEqual(response.header("location"), "/x")
        XCTAssertNil(response.header("injected"))
        XCTAssertEqual(response.headers.filter { $0.0.lowercased() == "content-length" }.map(\.1), ["8"],
                       "MHD owns Content-Length")
        XCTAssertEqual(response.bodyText, "accepted")
    }

    func testInvalidStatusBecomes500() throws {
        let server = try startTestServer { _, respond in respond(HTTPResponse(status: 42)) }
        let response = try TestSocket(port: server.port).roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(response.status, 500)
    }

    func testHeadGetsHeadersWithoutBody() throws {
        let server = try startTestServer { _, respond in respond(.text("body that HEAD must not see")) }
        let socket = try TestSocket(port: server.port)
        try socket.send("HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let raw = socket.readToEnd()
        let text = String(decoding: raw, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 200"), text)
        XCTAssertTrue(text.hasSuffix("\r\n\r\n"), "no body after the headers: \(text)")
    }

    func testKeepAliveConnectionServesSequentialRequests() throws {
        let counter = LockedBox(0)
        let server = try startTestServer { request, respond in
            let n = counter.update { $0 += 1; return $0 }
            respond(.text("\(request.path) #\(n)"))
        }
        let socket = try TestSocket(port: server.port)
        try socket.send("GET /one HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try socket.readResponse().bodyText, "/one #1")
        try socket.send("GET /two HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try socket.readResponse().bodyText, "/two #2")
    }

    func testMalformedRequestsGetClientErrorsWithoutReachingTheHandler() throws {
        let called = LockedBox(false)
        let server = try startTestServer(configure: { $0.connectionTimeoutSeconds = 1 }) { _, respond in
            called.set(true)
            respond(.text("ok"))
        }
        let garbage: [[UInt8]] = [
            Array("GARBAGE\r\n\r\n".utf8),
            Array("GET / HTTP/1.1\r\nHost: t\r\nNoColonHere\r\n\r\n".utf8),
            Array("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: banana\r\n\r\n".utf8),
            Array("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n".utf8),
            Array("GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 200_000))\r\n\r\n".utf8),
            [0x00, 0xFF, 0x13, 0x37, 0x0D, 0x0A, 0x0D, 0x0A],
        ]
        for request in garbage {
            let socket = try TestSocket(port: server.port, readTimeout: 5)
            try? socket.send(request)  // the server may close before everything is written
            // Answered with a 4xx, closed at once, or (a NUL-led request line, which MHD waits
            // on) closed by the 1 s connection timeout; never a 5xx or a hang.
            let started = Date()
            let raw = socket.readToEnd()
            XCTAssertLessThan(Date().timeIntervalSince(started), 4.5, "closed by the server, not our read timeout")
            if let status = TestResponse.parse(raw)?.status {
                XCTAssertTrue((400..<500).contains(status), "status \(status) for \(request.prefix(40))")
            }
        }
        XCTAssertFalse(called.get())
        // And the server still works.
        XCTAssertEqual(try TestSocket(port: server.port).roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
    }

    func testURLSessionClientRoundTrip() throws {
        let server = try startTestServer { request, respond in
            respond(HTTPResponse(status: 201, headers: [("X-Echo-Method", request.method)], body: request.body))
        }
        var urlRequest = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/u?k=v")!)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = Data([1, 2, 3, 0, 255])
        let result = LockedBox<(Data?, HTTPURLResponse?)>((nil, nil))
        let done = expectation(description: "URLSession answered")
        URLSession.shared.dataTask(with: urlRequest) { data, response, _ in
            result.set((data, response as? HTTPURLResponse))
            done.fulfill()
        }.resume()
        wait(for: [done], timeout: 10)

        let (data, response) = result.get()
        XCTAssertEqual(response?.statusCode, 201)
        XCTAssertEqual(response?.value(forHTTPHeaderField: "x-echo-method"), "POST")
        XCTAssertEqual(data.map { Array($0) }, [1, 2, 3, 0, 255])
    }
}

// MARK: - Test support shared by the HTTPServer*Tests files

/// A handler made of a closure, so each test states its behaviour inline.
struct ClosureHandler: HTTPHandler {
    let onRequest: @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void
    var onTooLarge: (@Sendable (HTTPRequest, Int) -> HTTPResponse)?

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        onRequest(request, respond)
    }

    func bodyTooLarge(_ request: HTTPRequest, limit: Int) -> HTTPResponse {
        onTooLarge?(request, limit) ?? .text("too large (limit \(limit))\n", status: 413)
    }
}

extension XCTestCase {
    /// A started server on 127.0.0.1 with an ephemeral port, stopped when the test ends.
    func startTestServer(
        configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        onTooLarge: (@Sendable (HTTPRequest, Int) -> HTTPResponse)? = nil,
        _ onRequest: @escaping @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void
    ) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configure(&configuration)
        let server = HTTPServer(configuration: configuration,
                                handler: ClosureHandler(onRequest: onRequest, onTooLarge: onTooLarge))
        try server.start()
        addTeardownBlock { server.stop(drainTimeout: 2) }
        return server
    }
}

/// A value shared between test code and handler threads.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    @discardableResult
    func update<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
}

/// Builds a request with Host and Content-Length.
func rawRequest(method: String, path: String, headers: [(String, String)] = [], body: [UInt8]) -> [UInt8] {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: test\r\nContent-Length: \(body.count)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "\r\n"
    return Array(head.utf8) + body
}

/// Polls `condition` until it holds or `timeout` passes.
func waitUntil(timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}
