import Foundation
import Glibc
import HTTPServer
import HTTPTesting
import XCTest

/// Graceful stops and certificate reloads while clients keep libmicrohttpd's worker threads busy.
///
/// Both take the listening socket away from a daemon whose workers are running (`MHD_quiesce_daemon`). With MHD's
/// epoll event loop that raced the workers' own removal of the socket from their epoll sets, and whichever lost
/// aborted the whole process ("Failed to remove listen FD from epoll set"); the daemon now runs its workers on
/// poll(), which has no such set. A regression shows as the test process dying of SIGABRT.
///
/// Each test repeats its stop or reload for `GATEWAY_QUIESCE_RACE_SECONDS` seconds (default 1.5). Under the epoll loop
/// on a two-core machine, 25 of 27 runs of 20 to 30 seconds aborted, after 150 to 5,800 stops (about 300 a second;
/// half of them within 1,450), and reloads (about 200 a second) aborted within 1,100. The default run therefore
/// catches a regression only now and then; `GATEWAY_QUIESCE_RACE_SECONDS=60 swift test --filter
/// HTTPServerQuiesceRaceTests` is the check to run after touching how the daemon is started.
final class HTTPServerQuiesceRaceTests: XCTestCase {
    private static let request = Array("GET /race HTTP/1.1\r\nHost: t\r\n\r\n".utf8)

    private var budget: TimeInterval {
        ProcessInfo.processInfo.environment["GATEWAY_QUIESCE_RACE_SECONDS"].flatMap(TimeInterval.init) ?? 1.5
    }

    func testStoppingUnderLoadNeverAbortsAndRefusesConnectionsAfterwards() throws {
        let flood = ConnectionFlood(clients: 3, request: Self.request, requestsPerConnection: 4)
        defer { flood.stop() }
        let started = Date()
        var rounds = 0
        repeat {
            let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0,
                                                                           threadPoolSize: 2 + rounds % 2),
                                    handler: ClosureHandler { _, respond in respond(.text("ok")) })
            try server.start()
            let before = flood.answered
            flood.target(server.port)
            XCTAssertTrue(waitUntil(timeout: 5) { flood.answered >= before + 10 }, "round \(rounds): no load")
            server.stop(drainTimeout: 1)
            // From another source address: over thousands of rounds, a connection from 127.0.0.1 to a closed port
            // would now and then be given that very port as its own and connect to itself.
            XCTAssertThrowsError(try TestSocket(port: server.port, source: "127.0.0.2")) { error in
                XCTAssertEqual(error as? TestSocket.Failure, .connect(errno: ECONNREFUSED), "round \(rounds)")
            }
            rounds += 1
        } while Date().timeIntervalSince(started) < budget
        flood.stop()
        XCTAssertEqual(flood.wrongAnswers, [], "only the handler's answer or the draining server's 503")
    }

    /// The clients speak plain HTTP to the HTTPS port: every connection is accepted and then closed after the failed
    /// handshake, which keeps the workers as busy as real requests would, without a TLS client per connection.
    func testReloadingTheCertificateUnderLoadNeverAbortsNorClosesThePort() throws {
        let certificates = try TestCertificates()
        let issued = try ["gateway-a", "gateway-b"].map { try certificates.issue(commonName: $0) }
        let credentials = try issued.map { try TLSCredentials(reading: $0) }
        let server = try startTestServer(configure: {
            $0.threadPoolSize = 2
            $0.tls = HTTPServerTLS(credentials: credentials[0])
        }) { _, respond in respond(.text("ok")) }

        let flood = ConnectionFlood(clients: 3, request: Self.request, requestsPerConnection: 1)
        defer { flood.stop() }
        flood.target(server.port)
        let started = Date()
        var reloads = 0
        repeat {
            let before = flood.connected
            XCTAssertTrue(waitUntil(timeout: 5) { flood.connected >= before + 10 }, "reload \(reloads): no load")
            reloads += 1
            try server.reloadTLS(credentials[reloads % 2])
        } while Date().timeIntervalSince(started) < budget
        flood.stop()

        XCTAssertEqual(flood.failedConnects, 0, "the port stayed open through \(reloads) reloads")
        let result = try TestCurl.get("https://127.0.0.1:\(server.port)/", ["--cacert", certificates.caPath])
        XCTAssertEqual(result.response?.bodyText, "ok", result.trace)
        XCTAssertEqual(result.serverCommonName, issued[reloads % 2].commonName, result.trace)
    }
}

/// Client threads that connect to 127.0.0.1:`port` (whatever it is set to at the moment) over and over, send a
/// request on each connection a few times and read what comes back, until stopped.
private final class ConnectionFlood: @unchecked Sendable {
    private let lock = NSLock()
    private var port: UInt16 = 0
    private var running = true
    private var counts = (connected: 0, failedConnects: 0, answered: 0)
    private var wrong: [String] = []
    private let finished = DispatchGroup()

    init(clients: Int, request: [UInt8], requestsPerConnection: Int) {
        for index in 0..<clients {
            finished.enter()
            let thread = Thread { [self] in
                run(request: request, requestsPerConnection: requestsPerConnection)
                finished.leave()
            }
            thread.name = "flood-\(index)"
            thread.start()
        }
    }

    var connected: Int { lock.withLock { counts.connected } }
    /// Connections to the current port that could not be made (refused, or any other error).
    var failedConnects: Int { lock.withLock { counts.failedConnects } }
    /// Responses with status 200.
    var answered: Int { lock.withLock { counts.answered } }
    /// Responses that were neither the handler's "ok" nor a draining server's 503.
    var wrongAnswers: [String] { lock.withLock { wrong } }

    /// Sends the clients to `port` from their next connection on; failed connections to the previous one no
    /// longer count.
    func target(_ port: UInt16) {
        lock.withLock {
            self.port = port
            counts.failedConnects = 0
        }
    }

    /// Stops the clients and waits for them.
    func stop() {
        lock.withLock { running = false }
        finished.wait()
    }

    private func run(request: [UInt8], requestsPerConnection: Int) {
        while let port = lock.withLock({ running ? self.port : nil }) {
            let socket: TestSocket
            do {
                socket = try TestSocket(port: port, readTimeout: 5)
            } catch {
                lock.withLock { if self.port == port { counts.failedConnects += 1 } }
                usleep(500)
                continue
            }
            lock.withLock { counts.connected += 1 }
            for _ in 0..<requestsPerConnection {
                guard (try? socket.send(request)) != nil, let response = try? socket.readResponse() else { break }
                record(response)
            }
        }
    }

    private func record(_ response: TestResponse) {
        lock.withLock {
            switch (response.status, response.bodyText) {
            case (200, "ok"): counts.answered += 1
            case (503, _): break
            default: wrong.append("\(response.status) \(response.bodyText)")
            }
        }
    }
}
