import Configuration
import Foundation
import GatewayKit
import GatewayTestSupport
import GatewayTesting
import HTTPClient
import HTTPTesting
import Ingress
import XCTest

/// Black-box over raw sockets: requests whose path or head is malformed get a problem+json naming what is wrong, and
/// never reach a route, whatever their spelling; ordinary paths (percent-encoded UTF-8 included) still route.
final class MalformedRequestTests: XCTestCase {
    private var gateway: TestGateway!

    override func setUpWithError() throws { gateway = try TestGateway { $0.adminToken = TestGateway.adminToken } }
    override func tearDown() { gateway = nil }

    private func get(_ target: [UInt8], headers: String = "") throws -> TestResponse {
        let connection = try TestSocket(port: gateway.app.port)
        connection.offer(Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: t\r\n".utf8)
                        + Array("Authorization: Bearer \(TestGateway.adminToken)\r\n\(headers)\r\n".utf8))
        return try XCTUnwrap(connection.awaitResponse(), "no answer for \(String(decoding: target, as: UTF8.self))")
    }

    private func get(_ target: String, headers: String = "") throws -> TestResponse {
        try get(Array(target.utf8), headers: headers)
    }

    func testLoosePathsAre400ProblemsNamingThePath() throws {
        let cases: [(target: [UInt8], shown: String, reason: String)] = [
            (Array("/v1//deals".utf8), "/v1//deals", "empty segment"),
            (Array("/v1/deals//".utf8), "/v1/deals//", "empty segment"),
            (Array("/v1/deals/%00".utf8), "/v1/deals/%00", "NUL"),
            (Array("/v1/deals".utf8) + [0], "/v1/deals", "NUL"),
            (Array("/v1/rooms/%E0%80%AF".utf8), "/v1/rooms/%E0%80%AF", "not valid UTF-8"),
            (Array("/v1/rooms/%zz".utf8), "/v1/rooms/%zz", "two hexadecimal digits"),
            (Array("/v1/deals/..".utf8), "/v1/deals/..", ". or .."),
            (Array("/v1/./deals".utf8), "/v1/./deals", ". or .."),
        ]
        for (target, shown, reason) in cases {
            let response = try get(target, headers: "X-Request-Id: bad-path-1\r\n")
            XCTAssertEqual(response.status, 400, shown)
            XCTAssertEqual(response.header("Content-Type"), "application/problem+json", shown)
            XCTAssertEqual(response.header("X-Request-Id"), "bad-path-1")
            XCTAssertEqual(response.json?["type"], "/problems/invalid-path", shown)
            let detail = response.json?["detail"]?.stringValue ?? ""
            XCTAssertTrue(detail.hasPrefix("the request path \(shown) is not valid: "), detail)
            XCTAssertTrue(detail.contains(reason), detail)
            XCTAssertEqual(response.json?["errors"]?.arrayValue?.first?["field"], "path", shown)
        }
        XCTAssertEqual(try gateway.rows("SELECT count(*) AS n FROM inbox").first?["n"], "0")
    }

    func testOrdinaryAndPercentEncodedPathsStillRoute() throws {
        let room = try get("/v1/rooms/caf%C3%A9")
        XCTAssertEqual(room.status, 200)
        XCTAssertEqual(room.json?["room_id"], "café")
        XCTAssertEqual(try get("/v1/rooms/r%2D1").json?["room_id"], "r-1")
        XCTAssertEqual(try get("/healthz").status, 200)
        XCTAssertEqual(try get("/healthz/").status, 200, "one trailing slash is still tolerated")
        let missing = try get("/v1/nothing-here")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.header("Content-Type"), "application/problem+json")
    }

    func testOversizedHeadIsA431Problem() throws {
        let padding = String(repeating: "a", count: 32 * 1024)
        let response = try get("/healthz", headers: "X-Request-Id: big-head-1\r\nX-Pad: \(padding)\r\n")
        XCTAssertEqual(response.status, 431)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
        XCTAssertEqual(response.header("X-Request-Id"), "big-head-1")
        XCTAssertEqual(response.json?["type"], "/problems/request-head-too-large")
        XCTAssertEqual(response.json?["errors"]?.arrayValue?.first?["field"], "headers")
        XCTAssertEqual(try get("/healthz").status, 200, "and the server carries on")
    }

    /// The exception the README documents: a Content-Length libmicrohttpd cannot parse is refused by the library
    /// before the gateway sees the request, with its own body and no Content-Type.
    func testUnparseableContentLengthsAreRefusedByTheLibraryAsDocumented() throws {
        for (value, status) in [("-1", 400), ("12345678901234567890123", 413)] {
            let connection = try TestSocket(port: gateway.app.port)
            connection.offer("POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Length: \(value)\r\n\r\n")
            let response = try XCTUnwrap(connection.awaitResponse(), value)
            XCTAssertEqual(response.status, status, value)
            XCTAssertNil(response.header("Content-Type"), value)
            XCTAssertEqual(response.header("Connection"), "close", value)
        }
        XCTAssertEqual(try gateway.request("GET", "/healthz").status, 200)
    }
}
