import Foundation
import HTTPServer
import HTTPTesting
import XCTest

/// Handlers that answer later, from other threads: suspend/resume and its races.
final class HTTPServerAsyncTests: XCTestCase {
    func testRespondFromAnotherThreadAfterADelay() throws {
        let server = try startTestServer { request, respond in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) {
                respond(.text("late \(request.path)"))
            }
        }
        let started = Date()
        let response = try TestSocket(port: server.port).roundTrip("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.bodyText, "late /slow")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.045)
        XCTAssertTrue(waitUntil { server.inFlightRequests == 0 })
    }

    func testInFlightCountsHandlersThatHaveNotResponded() throws {
        // Keyed by path: the two connections may land on different worker threads, in either order.
        let pending = LockedBox<[String: @Sendable (HTTPResponse) -> Void]>([:])
        let server = try startTestServer { request, respond in pending.update { $0[request.path] = respond } }
        let first = try TestSocket(port: server.port)
        let second = try TestSocket(port: server.port)
        try first.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\n")
        try second.send("GET /2 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertTrue(waitUntil { server.inFlightRequests == 2 && pending.get().count == 2 })

        pending.get()["/1"]?(.text("one"))
        XCTAssertEqual(try first.readResponse().bodyText, "one")
        XCTAssertEqual(server.inFlightRequests, 1)
        pending.get()["/2"]?(.text("two"))
        XCTAssertEqual(try second.readResponse().bodyText, "two")
        XCTAssertEqual(server.inFlightRequests, 0)
    }

    /// 200 requests suspended at the same time (the handler answers none until all arrived),
    /// then answered in reverse order from many threads; every client gets its own answer.
    func testTwoHundredConcurrentSuspendedRequestsAreAllAnswered() throws {
        let count = 200
        let pending = LockedBox<[(String, @Sendable (HTTPResponse) -> Void)]>([])
        let server = try startTestServer { request, respond in
            pending.update { $0.append((request.path, respond)) }
        }
        let sockets = try (0..<count).map { i -> TestSocket in
            let socket = try TestSocket(port: server.port)
            try socket.send("POST /r/\(i) HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody")
            return socket
        }
        // In flight counts from just before `handle` runs, so also wait for every closure to be stored.
        XCTAssertTrue(waitUntil { server.inFlightRequests == count && pending.get().count == count },
                      "in flight: \(server.inFlightRequests)")

        let waiting = pending.get().reversed().map { $0 }
        DispatchQueue.concurrentPerform(iterations: waiting.count) { index in
            let (path, respond) = waiting[index]
            respond(.text("answer for \(path)"))
        }
        for (i, socket) in sockets.enumerated() {
            let response = try socket.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.bodyText, "answer for /r/\(i)")
        }
        XCTAssertEqual(server.inFlightRequests, 0)
    }

    /// Responding from another thread with no delay races the suspend that follows `handle`;
    /// many rounds make both orders happen.
    func testImmediateRespondFromAnotherThreadNeverLosesAResponse() throws {
        let server = try startTestServer { request, respond in
            DispatchQueue.global().async { respond(.text(request.path)) }
        }
        let socket = try TestSocket(port: server.port)
        for i in 0..<300 {
            try socket.send("GET /\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertEqual(try socket.readResponse().bodyText, "/\(i)")
        }
    }

    func testOnlyTheFirstRespondCounts() throws {
        let server = try startTestServer { _, respond in
            respond(.text("first"))
            respond(.text("second"))
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(20)) { respond(.text("third")) }
        }
        let socket = try TestSocket(port: server.port)
        XCTAssertEqual(try socket.roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n").bodyText, "first")
        usleep(50_000)
        XCTAssertEqual(try socket.roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n").bodyText, "first")
        XCTAssertEqual(server.inFlightRequests, 0)
    }

    func testRespondAfterTheClientLeftIsHarmless() throws {
        let pending = LockedBox<(@Sendable (HTTPResponse) -> Void)?>(nil)
        let server = try startTestServer { request, respond in
            if request.path == "/ok" { respond(.text("ok")) } else { pending.set(respond) }
        }
        do {
            let socket = try TestSocket(port: server.port)
            try socket.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertTrue(waitUntil { pending.get() != nil })
        }  // socket closed while the connection is suspended
        pending.get()?(.text("nobody listens"))
        XCTAssertEqual(server.inFlightRequests, 0)
        XCTAssertEqual(try TestSocket(port: server.port).roundTrip("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
    }
}
