import Foundation
import HTTPServer
import HTTPTesting
import XCTest

/// Long-lived bodies (Server-Sent Events): a producer with nothing to say waits with its connection suspended — no
/// thread held, nothing produced — until woken; a client gone while waiting is noticed at the next write; a stop
/// ends such bodies cleanly instead of waiting for them, and no suspended connection is left for MHD to stop.
final class HTTPServerEventStreamTests: XCTestCase {
    /// A producer that sends what `outbox` holds and waits when it is empty.
    final class Outbox: @unchecked Sendable {
        let lines = LockedBox<[String]>([])
        let produceCalls = LockedBox(0)
        let ending = LockedBox<HTTPBodyStream.Ending?>(nil)
        let stream = LockedBox<HTTPBodyStream?>(nil)

        func makeStream() -> HTTPBodyStream {
            let body = HTTPBodyStream(longLived: true, produce: { [self] buffer in
                produceCalls.update { $0 += 1 }
                let waiting = lines.update { list in defer { list = [] }; return list }
                guard !waiting.isEmpty else { return .waiting }
                buffer += Array(waiting.joined().utf8)
                return .more
            }, close: { [self] in ending.set($0) })
            stream.set(body)
            return body
        }

        func post(_ line: String) {
            lines.update { $0.append(line) }
            stream.get()?.wake()
        }
    }

    func testWaitingStreamSendsWhatArrivesAndProducesNothingMeanwhile() throws {
        let outbox = Outbox()
        let server = try startTestServer { _, respond in respond(HTTPResponse(status: 200, stream: outbox.makeStream())) }
        let socket = try TestSocket(port: server.port, readTimeout: 5)
        try socket.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = String(decoding: try XCTUnwrap(socket.receiveSome()), as: UTF8.self)
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 200"), head)

        XCTAssertTrue(waitUntil { outbox.produceCalls.get() > 0 })
        usleep(100_000)
        let callsWhileQuiet = outbox.produceCalls.get()
        usleep(300_000)
        XCTAssertEqual(outbox.produceCalls.get(), callsWhileQuiet, "a waiting stream is not asked again until woken")

        outbox.post("data: one\n\n")
        XCTAssertTrue(try receive(socket, until: "data: one"))
        outbox.post("data: two\n\n")
        outbox.post("data: three\n\n")
        XCTAssertTrue(try receive(socket, until: "data: three"))
        XCTAssertNil(outbox.ending.get())
    }

    func testWakeBeforeTheConnectionSuspendsIsNotLost() throws {
        let outbox = Outbox()
        let server = try startTestServer { _, respond in
            let body = outbox.makeStream()
            outbox.post("data: early\n\n")  // before the body is even queued
            respond(HTTPResponse(status: 200, stream: body))
        }
        let socket = try TestSocket(port: server.port, readTimeout: 5)
        try socket.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertTrue(try receive(socket, until: "data: early"))
    }

    func testClientGoneWhileWaitingIsNoticedAtTheNextWrite() throws {
        let outbox = Outbox()
        let server = try startTestServer { _, respond in respond(HTTPResponse(status: 200, stream: outbox.makeStream())) }
        do {
            let socket = try TestSocket(port: server.port, readTimeout: 5)
            try socket.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertNotNil(socket.receiveSome())
        }  // closed while the stream waits
        usleep(200_000)
        XCTAssertNil(outbox.ending.get(), "a suspended connection is not watched")
        // A heartbeat finds it gone (the first write may still be taken by the kernel; the next fails).
        XCTAssertTrue(waitUntil(timeout: 10) {
            outbox.post(": keep-alive\n\n")
            usleep(50_000)
            return outbox.ending.get() != nil
        })
        XCTAssertEqual(outbox.ending.get(), .clientGone)
    }

    func testStopEndsWaitingStreamsCleanlyAndPromptly() throws {
        let outbox = Outbox()
        let server = try startTestServer { _, respond in respond(HTTPResponse(status: 200, stream: outbox.makeStream())) }
        let socket = try TestSocket(port: server.port, readTimeout: 5)
        try socket.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        outbox.post("data: before stop\n\n")
        XCTAssertTrue(try receive(socket, until: "data: before stop"))

        let started = Date()
        server.stop(drainTimeout: 10)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "a stop does not wait for an endless stream")
        let rest = String(decoding: socket.readToEnd(), as: UTF8.self)
        XCTAssertTrue(rest.hasSuffix("0\r\n\r\n"), "the body ends with the final chunk: \(rest.debugDescription)")
        XCTAssertEqual(outbox.ending.get(), .finished)
    }

    /// Reads until the text received so far contains `text`.
    private func receive(_ socket: TestSocket, until text: String) throws -> Bool {
        var received = ""
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            guard let chunk = socket.receiveSome(), !chunk.isEmpty else { return false }
            received += String(decoding: chunk, as: UTF8.self)
            if received.contains(text) { return true }
        }
        return false
    }
}
