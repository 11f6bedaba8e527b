import Foundation
import Glibc
import HTTPServer
import HTTPTesting
import XCTest
#if canImport(Glibc)
#endif

/// Binding, quiescing, graceful stop and connection timeouts.
final class HTTPServerLifecycleTests: XCTestCase {
    func testPortZeroBindsARealPort() throws {
        let server = try startTestServer { _, respond in respond(.text("ok")) }
        XCTAssertNotEqual(server.port, 0)
        XCTAssertEqual(try TestSocket(port: server.port).roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
    }

    func testStartingOnAPortInUseThrows() throws {
        let first = try startTestServer { _, respond in respond(.text("ok")) }
        let second = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: first.port),
                                handler: ClosureHandler { _, respond in respond(.text("ok")) })
        XCTAssertThrowsError(try second.start()) { error in
            guard case HTTPServerError.startFailed(let reason) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertTrue(reason.contains("\(first.port)"), reason)
            XCTAssertTrue(reason.lowercased().contains("in use"), reason)
        }
        // The first one is unaffected.
        XCTAssertEqual(try TestSocket(port: first.port).roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
    }

    func testInvalidHostAndDoubleStartThrow() throws {
        let bad = HTTPServer(configuration: HTTPServerConfiguration(host: "not-an-address", port: 0),
                             handler: ClosureHandler { _, respond in respond(.text("ok")) })
        XCTAssertThrowsError(try bad.start())

        let server = try startTestServer { _, respond in respond(.text("ok")) }
        XCTAssertThrowsError(try server.start())
        server.stop()
        XCTAssertThrowsError(try server.start(), "a stopped server is not restarted")
    }

    func testBindsToAllInterfacesWhenAsked() throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "0.0.0.0", port: 0),
                                handler: ClosureHandler { _, respond in respond(.text("any")) })
        try server.start()
        defer { server.stop() }
        XCTAssertEqual(try TestSocket(port: server.port).roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n").bodyText, "any")
    }

    func testStopWaitsForAnInFlightAsyncRequest() throws {
        let server = try startTestServer { _, respond in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) {
                respond(.text("answered while stopping"))
            }
        }
        let socket = try TestSocket(port: server.port)
        try socket.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertTrue(waitUntil { server.inFlightRequests == 1 })

        let started = Date()
        server.stop(drainTimeout: 5)
        let stopTook = Date().timeIntervalSince(started)

        let response = try socket.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.bodyText, "answered while stopping")
        XCTAssertEqual(response.header("connection")?.lowercased(), "close")
        XCTAssertGreaterThan(stopTook, 0.1, "stop returned before the handler answered")
        XCTAssertLessThan(stopTook, 4, "stop waited for the full drain timeout")
    }

    func testAfterStopConnectionsAreRefused() throws {
        let server = try startTestServer { _, respond in respond(.text("ok")) }
        let port = server.port
        server.stop()
        server.stop()  // idempotent
        XCTAssertThrowsError(try TestSocket(port: port)) { error in
            XCTAssertEqual(error as? TestSocket.Failure, .connect(errno: ECONNREFUSED))
        }
    }

    func testStopBeforeStartIsHarmless() {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                                handler: ClosureHandler { _, respond in respond(.text("ok")) })
        server.stop()
        XCTAssertEqual(server.port, 0)
    }

    func testQuiesceRefusesNewConnectionsButServesOpenOnes() throws {
        let server = try startTestServer { request, respond in respond(.text(request.path)) }
        let open = try TestSocket(port: server.port)
        XCTAssertEqual(try open.roundTrip("GET /before HTTP/1.1\r\nHost: t\r\n\r\n").bodyText, "/before")

        server.quiesce()
        XCTAssertThrowsError(try TestSocket(port: server.port)) { error in
            XCTAssertEqual(error as? TestSocket.Failure, .connect(errno: ECONNREFUSED))
        }
        let after = try open.roundTrip("GET /after HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(after.bodyText, "/after")
        XCTAssertEqual(after.header("connection")?.lowercased(), "close", "keep-alive clients are sent away")
    }

    func testHandlerThatNeverAnswersGets503AtDrainTimeoutWithoutCrashing() throws {
        let pending = LockedBox<[@Sendable (HTTPResponse) -> Void]>([])
        let server = try startTestServer { _, respond in pending.update { $0.append(respond) } }
        let sockets = try (0..<3).map { i -> TestSocket in
            let socket = try TestSocket(port: server.port)
            try socket.send("GET /\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
            return socket
        }
        XCTAssertTrue(waitUntil { server.inFlightRequests == 3 })

        let started = Date()
        server.stop(drainTimeout: 0.2)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        for socket in sockets {
            XCTAssertEqual(try socket.readResponse().status, 503)
        }
        XCTAssertEqual(server.inFlightRequests, 0)
        for respond in pending.get() { respond(.text("too late")) }  // ignored, no crash
    }

    func testSlowLorisClientIsDisconnectedAfterTheConnectionTimeout() throws {
        let called = LockedBox(false)
        let server = try startTestServer(configure: { $0.connectionTimeoutSeconds = 1 }) { _, respond in
            called.set(true)
            respond(.text("ok"))
        }
        let socket = try TestSocket(port: server.port, readTimeout: 10)
        try socket.send("GET / HTTP/1.1\r\nHost: t\r\nX-Part")  // headers never finished

        let started = Date()
        let received = socket.readToEnd()
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertTrue(received.isEmpty, String(decoding: received, as: UTF8.self))
        XCTAssertGreaterThan(elapsed, 0.5)
        XCTAssertLessThan(elapsed, 5, "disconnected by the server, not by our 10 s read timeout")
        XCTAssertFalse(called.get())
    }

    func testIdleKeepAliveConnectionIsClosedAfterTheConnectionTimeout() throws {
        let server = try startTestServer(configure: { $0.connectionTimeoutSeconds = 1 }) { _, respond in
            respond(.text("ok"))
        }
        let socket = try TestSocket(port: server.port, readTimeout: 10)
        XCTAssertEqual(try socket.roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
        let started = Date()
        XCTAssertEqual(socket.readToEnd(), [])
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testSingleThreadModeServesAsyncRequests() throws {
        let server = try startTestServer(configure: { $0.threadPoolSize = 1 }) { request, respond in
            DispatchQueue.global().async { respond(.text(request.path)) }
        }
        let sockets = try (0..<20).map { i -> TestSocket in
            let socket = try TestSocket(port: server.port)
            try socket.send("GET /\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
            return socket
        }
        for (i, socket) in sockets.enumerated() {
            XCTAssertEqual(try socket.readResponse().bodyText, "/\(i)")
        }
    }

    func testSuspendedRequestDoesNotTimeOut() throws {
        let server = try startTestServer(configure: { $0.connectionTimeoutSeconds = 1 }) { _, respond in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(2500)) { respond(.text("patient")) }
        }
        let response = try TestSocket(port: server.port).roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(response.bodyText, "patient")
    }
}
