import Foundation
import HTTPServer
import HTTPTesting
import XCTest

/// Streamed response bodies (``HTTPBodyStream``): sent chunked as produced, read back whole; the producer is
/// closed once whether the body completes, the producer fails, or the client goes away; a client that stops reading
/// holds only its own connection.
final class HTTPServerStreamTests: XCTestCase {
    func testLargeStreamArrivesWholeAndChunkedAndTheProducerIsClosedAsFinished() throws {
        let ending = LockedBox<HTTPBodyStream.Ending?>(nil)
        let pieces = 250  // pieces of varying size, about 12 MB in all
        let server = try startTestServer { _, respond in
            respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/csv")],
                                 stream: Self.counting(pieces: pieces, ending: ending)))
        }
        let socket = try TestSocket(port: server.port, readTimeout: 30)
        try socket.send("GET /export HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let raw = socket.readToEnd()

        let response = try XCTUnwrap(TestResponse.parse(raw))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("transfer-encoding"), "chunked")
        XCTAssertNil(response.header("content-length"))
        XCTAssertEqual(response.header("content-type"), "text/csv")
        let body = try XCTUnwrap(Self.dechunk(response.body), "the body ends with the final chunk")
        XCTAssertEqual(body, (0..<pieces).flatMap(Self.piece))
        XCTAssertTrue(waitUntil { ending.get() == .finished })
    }

    func testClientLeavingMidStreamClosesTheProducer() throws {
        let ending = LockedBox<HTTPBodyStream.Ending?>(nil)
        let produced = LockedBox(0)
        let server = try startTestServer { _, respond in
            // Endless: only the client leaving can end it.
            respond(HTTPResponse(status: 200, stream: HTTPBodyStream(produce: { buffer in
                produced.update { $0 += 1 }
                buffer += [UInt8](repeating: 0x61, count: 64 * 1024)
                return .more
            }, close: { ending.set($0) })))
        }
        do {
            let socket = try TestSocket(port: server.port)
            try socket.send("GET /endless HTTP/1.1\r\nHost: t\r\n\r\n")
            var received = 0
            while received < 1 << 20, let chunk = socket.receiveSome(), !chunk.isEmpty { received += chunk.count }
            XCTAssertGreaterThanOrEqual(received, 1 << 20)
        }  // the socket closes here

        XCTAssertTrue(waitUntil { ending.get() != nil }, "the producer is closed after the client left")
        XCTAssertEqual(ending.get(), .clientGone)
        let afterClose = produced.get()
        usleep(100_000)
        XCTAssertEqual(produced.get(), afterClose, "nothing is produced after the close")
    }

    func testProducerFailingMidStreamTruncatesTheBody() throws {
        let ending = LockedBox<HTTPBodyStream.Ending?>(nil)
        struct Broken: Error {}
        let server = try startTestServer { _, respond in
            var calls = 0
            respond(HTTPResponse(status: 200, stream: HTTPBodyStream(produce: { buffer in
                calls += 1
                guard calls <= 3 else { throw Broken() }
                buffer += Array("line \(calls)\n".utf8)
                return .more
            }, close: { ending.set($0) })))
        }
        let socket = try TestSocket(port: server.port, readTimeout: 5)
        try socket.send("GET /broken HTTP/1.1\r\nHost: t\r\n\r\n")
        let started = Date()
        let raw = socket.readToEnd()

        XCTAssertLessThan(Date().timeIntervalSince(started), 4, "the connection is closed, not left hanging")
        let response = try XCTUnwrap(TestResponse.parse(raw))
        XCTAssertEqual(response.status, 200)
        XCTAssertNil(Self.dechunk(response.body), "no final chunk: the client can tell the body is incomplete")
        XCTAssertTrue(response.bodyText.contains("line 3"))
        XCTAssertTrue(waitUntil { ending.get() == .failed })
    }

    func testClientThatStopsReadingDoesNotHoldUpOtherConnections() throws {
        let server = try startTestServer(configure: { $0.threadPoolSize = 1 }) { request, respond in
            guard request.path == "/endless" else { return respond(.text("still here")) }
            respond(HTTPResponse(status: 200, stream: HTTPBodyStream(produce: { buffer in
                buffer += [UInt8](repeating: 0x62, count: 64 * 1024)
                return .more
            })))
        }
        let stalled = try TestSocket(port: server.port)
        try stalled.send("GET /endless HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertNotNil(stalled.receiveSome())  // streaming has begun; from now on this client reads nothing

        let other = try TestSocket(port: server.port, readTimeout: 3)
            .roundTrip("GET /other HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(other.bodyText, "still here")
    }

    func testHeadOfAStreamedResponseClosesTheProducerWithoutProducing() throws {
        let ending = LockedBox<HTTPBodyStream.Ending?>(nil)
        let produced = LockedBox(false)
        let server = try startTestServer { _, respond in
            respond(HTTPResponse(status: 200, stream: HTTPBodyStream(produce: { _ in
                produced.set(true)
                return .finished
            }, close: { ending.set($0) })))
        }
        let response = try TestSocket(port: server.port).roundTrip("HEAD /export HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(waitUntil { ending.get() != nil })
        XCTAssertFalse(produced.get())
    }

    // MARK: Support

    /// Piece `n`: `n % 97 + 1` KiB of a byte pattern that shifts with `n`, so a lost, doubled or reordered piece shows.
    static func piece(_ n: Int) -> [UInt8] {
        (0..<(n % 97 + 1) * 1024).map { UInt8(truncatingIfNeeded: $0 &+ n) }
    }

    static func counting(pieces: Int, ending: LockedBox<HTTPBodyStream.Ending?>) -> HTTPBodyStream {
        var next = 0
        return HTTPBodyStream(produce: { buffer in
            buffer += piece(next)
            next += 1
            return next == pieces ? .finished : .more
        }, close: { ending.set($0) })
    }

    /// The payload of a complete chunked body, or nil when it does not end with the final (empty) chunk.
    static func dechunk(_ bytes: [UInt8]) -> [UInt8]? {
        var payload: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = (index..<max(index, bytes.count - 1)).first(where: {
                bytes[$0] == 13 && bytes[$0 + 1] == 10
            }) else { return nil }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText, radix: 16) else { return nil }
            let start = lineEnd + 2
            if size == 0 { return payload }
            guard start + size + 2 <= bytes.count else { return nil }
            payload += bytes[start..<start + size]
            index = start + size + 2
        }
    }
}
