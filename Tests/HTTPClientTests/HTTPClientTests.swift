import HTTPClient
import XCTest

/// Request/response behaviour of CurlMultiClient against the stub server on 127.0.0.1.
final class HTTPClientTests: XCTestCase {
    private var server: HTTPClientStubServer!
    private var client: CurlMultiClient!

    override func setUpWithError() throws {
        server = try HTTPClientStubServer()
        client = CurlMultiClient(maxResponseBytes: 4096)
    }

    override func tearDown() {
        client.shutdown()
        server.stop()
        client = nil   // XCTest keeps test case instances alive until the process ends
        server = nil
    }

    private func send(_ request: ClientRequest, file: StaticString = #filePath, line: UInt = #line) throws -> ClientResponse {
        switch client.perform(request) {
        case .success(let response): return response
        case .failure(let error):
            XCTFail("unexpected \(error)", file: file, line: line)
            throw error
        }
    }

    func testGetReturnsStatusBodyAndLowercasedHeaders() throws {
        let response = try send(ClientRequest(url: server.url("/hello")))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "hello world")
        XCTAssertFalse(response.truncated)
        XCTAssertEqual(response.header("X-STUB"), "Hello")
        XCTAssertEqual(response.header("content-length"), "11")
        XCTAssertTrue(response.headers.contains { $0.0 == "x-stub" && $0.1 == "Hello" })
        XCTAssertGreaterThan(response.totalTime, 0)
    }

    func testAsyncExecuteReturnsResponse() async throws {
        let result = await client.execute(ClientRequest(url: server.url("/hello")))
        XCTAssertEqual(try result.get().status, 200)
    }

    func testPostBinaryBodyWithNULBytesIsEchoedExactly() throws {
        let body: [UInt8] = [0, 1, 2, 0, 255, 0, 10, 13, 0] + (0..<1000).map { UInt8($0 % 256) }
        let request = ClientRequest(method: "POST", url: server.url("/echo"), body: body)
        let response = try send(request)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("x-echo-method"), "POST")
        XCTAssertEqual(response.body, body)
    }

    func testMethodsAreSentAsGiven() throws {
        for method in ["PUT", "PATCH", "DELETE"] {
            let body = method == "DELETE" ? [] : Array("{\"m\":\"\(method)\"}".utf8)
            let response = try send(ClientRequest(method: method, url: server.url("/echo"), body: body))
            XCTAssertEqual(response.header("x-echo-method"), method)
            XCTAssertEqual(response.body, body)
        }
        let head = try send(ClientRequest(method: "HEAD", url: server.url("/hello")))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, [])
    }

    /// Handles are reused without a reset: a HEAD, a custom method, a body or headers of one request must not carry
    /// over to the next request on the same handle.
    func testReusedHandlesCarryNothingOverFromThePreviousRequest() throws {
        let head = try send(ClientRequest(method: "HEAD", url: server.url("/echo")))
        XCTAssertEqual(head.header("x-echo-method"), "HEAD")
        XCTAssertEqual(try send(ClientRequest(url: server.url("/hello"))).body, Array("hello world".utf8))
        _ = try send(ClientRequest(method: "DELETE", url: server.url("/echo")))
        XCTAssertEqual(try send(ClientRequest(url: server.url("/echo"))).header("x-echo-method"), "GET")
        _ = try send(ClientRequest(method: "PUT", url: server.url("/echo"), body: [1, 2, 3]))
        let get = try send(ClientRequest(url: server.url("/echo")))
        XCTAssertEqual(get.header("x-echo-method"), "GET")
        XCTAssertEqual(get.body, [])
        _ = try send(ClientRequest(method: "POST", url: server.url("/head"), headers: [("X-Once", "1")], body: [7]))
        let plain = String(decoding: try send(ClientRequest(url: server.url("/head"))).body, as: UTF8.self)
        XCTAssertTrue(plain.hasPrefix("GET /head HTTP/1.1\r\n"), plain)
        XCTAssertFalse(plain.contains("X-Once"), plain)
        XCTAssertFalse(plain.lowercased().contains("content-length"), plain)
    }

    func testCustomHeadersAreSentAndLibcurlDefaultsSuppressed() throws {
        let request = ClientRequest(
            method: "POST", url: server.url("/head"),
            headers: [("X-Signature", "sha256=abc"), ("X-Empty", ""), ("Authorization", "Bearer t0k")],
            body: Array(repeating: 7, count: 2048))
        let head = String(decoding: try send(request).body, as: UTF8.self)
        XCTAssertTrue(head.hasPrefix("POST /head HTTP/1.1\r\n"), head)
        XCTAssertTrue(head.contains("\r\nX-Signature: sha256=abc"), head)
        XCTAssertTrue(head.contains("\r\nX-Empty:"), head)
        XCTAssertTrue(head.contains("\r\nAuthorization: Bearer t0k"), head)
        XCTAssertTrue(head.contains("\r\nContent-Length: 2048"), head)
        XCTAssertFalse(head.lowercased().contains("expect:"), head)
        XCTAssertFalse(head.lowercased().contains("content-type:"), head)
    }

    func testErrorStatusesAreResponsesNotErrors() throws {
        let failed = try send(ClientRequest(url: server.url("/status/500")))
        XCTAssertEqual(failed.status, 500)
        XCTAssertEqual(String(decoding: failed.body, as: UTF8.self), "boom")

        let limited = try send(ClientRequest(method: "POST", url: server.url("/status/429"), body: [1]))
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.header("Retry-After"), "2")
    }

    func testRedirectsAreReturnedNotFollowed() throws {
        let response = try send(ClientRequest(url: server.url("/redirect")))
        XCTAssertEqual(response.status, 302)
        XCTAssertEqual(response.header("location"), "/hello")
    }

    func testInterimResponseHeadersAreDiscarded() throws {
        let response = try send(ClientRequest(url: server.url("/continue")))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("x-final"), "yes")
        XCTAssertNil(response.header("x-interim"))
    }

    func testSlowServerFailsWithTimedOut() {
        let started = Date()
        let result = client.perform(ClientRequest(url: server.url("/slow"), totalTimeout: 0.3))
        guard case .failure(.timedOut) = result else { return XCTFail("expected timedOut, got \(result)") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5)
    }

    func testRefusedConnectionFailsWithCouldNotConnect() {
        let port = HTTPClientStubServer.unusedPort()
        let result = client.perform(ClientRequest(url: "http://127.0.0.1:\(port)/"))
        guard case .failure(.couldNotConnect(let message)) = result else {
            return XCTFail("expected couldNotConnect, got \(result)")
        }
        XCTAssertFalse(message.isEmpty)
    }

    func testProxyEnvironmentIsIgnored() throws {
        let deadProxy = "http://127.0.0.1:\(HTTPClientStubServer.unusedPort())"
        setenv("http_proxy", deadProxy, 1)
        setenv("HTTP_PROXY", deadProxy, 1)
        defer {
            unsetenv("http_proxy")
            unsetenv("HTTP_PROXY")
        }
        XCTAssertEqual(try send(ClientRequest(url: server.url("/hello"))).status, 200)
    }

    func testResponseBodyOverCapIsTruncated() throws {
        let response = try send(ClientRequest(url: server.url("/big")))
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.truncated)
        XCTAssertEqual(response.body, [UInt8](repeating: UInt8(ascii: "x"), count: 4096))
        // The client stays usable after aborting a transfer.
        XCTAssertEqual(try send(ClientRequest(url: server.url("/hello"))).status, 200)
    }

    func testBodyExactlyAtCapIsNotTruncated() throws {
        let body = [UInt8](repeating: 1, count: 4096)
        let response = try send(ClientRequest(method: "POST", url: server.url("/echo"), body: body))
        XCTAssertFalse(response.truncated)
        XCTAssertEqual(response.body, body)
    }

    func testUnusableRequestsFailWithInvalidRequest() {
        let requests = [
            ClientRequest(url: "ftp://127.0.0.1/file"),
            ClientRequest(url: "not a url"),
            ClientRequest(url: server.url("/hello"), headers: [("X-Bad", "a\r\nInjected: yes")]),
            ClientRequest(url: server.url("/hello"), headers: [("Bad Name", "x")]),
            ClientRequest(method: "GET /x", url: server.url("/hello")),
        ]
        for request in requests {
            let result = client.perform(request)
            guard case .failure(.invalidRequest) = result else {
                XCTFail("expected invalidRequest for \(request.url) \(request.headers), got \(result)")
                continue
            }
        }
    }
}
