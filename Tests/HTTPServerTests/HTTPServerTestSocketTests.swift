import Foundation
import HTTPTesting
import XCTest

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
