import Foundation
import HTTPServer
import HTTPTesting
import XCTest

/// Slow clients: the head and body deadlines cut a client that trickles bytes (which the inactivity timeout never
/// would), and the per-address limit keeps one client from taking every connection. Deadlines are 1 s here; the
/// margins are generous because only "cut shortly after the deadline, not before" matters.
final class HTTPServerDeadlineTests: XCTestCase {
    private let called = LockedBox(0)

    private func startServer(_ configure: @escaping (inout HTTPServerConfiguration) -> Void) throws -> HTTPServer {
        let called = self.called
        return try startTestServer(configure: {
            $0.connectionTimeoutSeconds = 30  // never the reason for a close in these tests
            configure(&$0)
        }) { request, respond in
            called.update { $0 += 1 }
            respond(.text("served \(request.path)"))
        }
    }

    func testHeadTrickledByteByByteIsCutShortlyAfterTheHeadDeadline() throws {
        let server = try startServer { $0.headerTimeoutSeconds = 1 }
        let start = Date()
        let client = try TestSocket(port: server.port)
        let head = Array("GET /slow HTTP/1.1\r\nHost: t\r\nX-Pad: ".utf8) + [UInt8](repeating: 0x61, count: 100)

        let cutAfter = try XCTUnwrap(client.trickle(head, every: 0.2, from: start, giveUp: 6),
                                     "a byte every 200 ms kept the connection open for 6 s")
        XCTAssertGreaterThan(cutAfter, 0.9, "cut before the deadline")
        XCTAssertLessThan(cutAfter, 3)
        XCTAssertEqual(called.get(), 0)
    }

    func testBodyTrickledByteByByteIsCutShortlyAfterTheBodyDeadline() throws {
        let server = try startServer { $0.headerTimeoutSeconds = 5; $0.bodyTimeoutSeconds = 1 }
        let client = try TestSocket(port: server.port)
        XCTAssertTrue(client.offer("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n"))
        let headSent = Date()

        let cutAfter = try XCTUnwrap(client.trickle(Array("b".utf8), every: 0.2, from: headSent, giveUp: 6),
                                     "a body byte every 200 ms kept the connection open for 6 s")
        XCTAssertGreaterThan(cutAfter, 0.9, "cut before the deadline")
        XCTAssertLessThan(cutAfter, 3)
        XCTAssertEqual(called.get(), 0)
    }

    func testPromptRequestsOnAKeptAliveConnectionAreServed() throws {
        let server = try startServer { $0.headerTimeoutSeconds = 1; $0.bodyTimeoutSeconds = 1 }
        let socket = try TestSocket(port: server.port)
        for n in 1...3 {
            let response = try socket.roundTrip(rawRequest(method: "POST", path: "/n\(n)", body: Array("x".utf8)))
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.bodyText, "served /n\(n)")
            Thread.sleep(forTimeInterval: 0.4)  // idle, but less than the head deadline
        }
        XCTAssertEqual(called.get(), 3)
    }

    func testIdleKeptAliveConnectionIsClosedAfterTheHeadDeadline() throws {
        let server = try startServer { $0.headerTimeoutSeconds = 1 }
        let client = try TestSocket(port: server.port)
        client.offer("GET /once HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(client.awaitResponse()?.status, 200)

        let closedAfter = try XCTUnwrap(client.waitForClose(from: Date(), timeout: 5), "still open after 5 s idle")
        XCTAssertGreaterThan(closedAfter, 0.9)
        XCTAssertLessThan(closedAfter, 3)
    }

    func testConnectionsBeyondThePerAddressLimitAreClosedWhileAnotherClientIsServed() throws {
        let server = try startServer {
            $0.threadPoolSize = 2
            $0.connectionLimit = 16
            $0.perIPConnectionLimit = 3
            $0.headerTimeoutSeconds = 30
        }
        // Three slow clients from 127.0.0.1, each certainly accepted: it got an answer and stays open.
        let holders = try (0..<3).map { n -> TestSocket in
            let socket = try TestSocket(port: server.port)
            XCTAssertEqual(try socket.roundTrip("GET /hold\(n) HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
            try socket.send("GET /never-finished HTTP/1.1\r\n")
            return socket
        }

        let fourth = try TestSocket(port: server.port, source: "127.0.0.1")
        fourth.offer("GET /fourth HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertNotNil(fourth.waitForClose(from: Date(), timeout: 3), "a fourth connection from one address is open")

        let other = try TestSocket(port: server.port, source: "127.0.0.2")
        other.offer("GET /other HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try XCTUnwrap(other.awaitResponse(), "another address was not served")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.bodyText, "served /other")
        XCTAssertEqual(called.get(), 4, "the three holders' first requests and the other client's")
        withExtendedLifetime(holders) {}
    }
}
