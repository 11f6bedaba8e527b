import Foundation
import HTTPClient
import XCTest

/// Concurrency, connection reuse and shutdown of CurlMultiClient against the stub server.
final class HTTPClientLoadTests: XCTestCase {
    private var server: HTTPClientStubServer!

    override func setUpWithError() throws {
        server = try HTTPClientStubServer()
    }

    override func tearDown() {
        server.stop()
    }

    /// Collects results delivered on the client's thread.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<ClientResponse, ClientError>] = []
        let done = DispatchGroup()

        func add(_ result: Result<ClientResponse, ClientError>) {
            lock.withLock { results.append(result) }
            done.leave()
        }

        var all: [Result<ClientResponse, ClientError>] { lock.withLock { results } }
    }

    /// Sends `count` POSTs to the echo route, each with its own body; an answer with another request's body counts as a
    /// failure.
    private func postEchoes(_ count: Int, named name: String, through client: CurlMultiClient) -> Results {
        let results = Results()
        for index in 0..<count {
            results.done.enter()
            let body = Array("\(name) \(index)".utf8)
            client.execute(ClientRequest(method: "POST", url: server.url("/echo"), body: body)) { result in
                if case .success(let response) = result, response.body != body {
                    results.add(.failure(.other(code: -1, message: "body mismatch for \(index)")))
                } else {
                    results.add(result)
                }
            }
        }
        return results
    }

    func test500ConcurrentRequestsAllComplete() throws {
        let client = CurlMultiClient(maxTotalConnections: 64)
        defer { client.shutdown() }
        let results = postEchoes(500, named: "request", through: client)
        XCTAssertEqual(results.done.wait(timeout: .now() + 30), .success)
        let all = results.all
        XCTAssertEqual(all.count, 500)
        XCTAssertEqual(all.filter { (try? $0.get().status) == 200 }.count, 500, "\(all.first { (try? $0.get()) == nil }.map { "\($0)" } ?? "")")
        XCTAssertEqual(client.activeTransfers, 0)
        XCTAssertLessThanOrEqual(server.acceptedConnections, 64)
    }

    /// Transfers waiting for one of few connections start as each connection frees up (libcurl promotes them through
    /// its timer), and every answer reaches its own request.
    func testRequestsQueuedBehindFewConnectionsAllComplete() throws {
        let client = CurlMultiClient(maxTotalConnections: 2)
        defer { client.shutdown() }
        let results = postEchoes(200, named: "queued", through: client)
        XCTAssertEqual(results.done.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(results.all.filter { (try? $0.get().status) == 200 }.count, 200)
        XCTAssertLessThanOrEqual(server.acceptedConnections, 2)
    }

    /// A request submitted after the client sat idle starts at once: the wakeup reaches a loop asleep on its sockets.
    func testRequestAfterIdlePeriodIsSentPromptly() throws {
        let client = CurlMultiClient()
        defer { client.shutdown() }
        XCTAssertEqual(try client.perform(ClientRequest(url: server.url("/hello"))).get().status, 200)
        usleep(300_000)
        let started = Date()
        XCTAssertEqual(try client.perform(ClientRequest(url: server.url("/hello"))).get().status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
    }

    func testConcurrentAsyncRequestsAllComplete() async throws {
        let client = CurlMultiClient()
        defer { client.shutdown() }
        let url = server.url("/hello")
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<100 {
                group.addTask { (try? await client.execute(ClientRequest(url: url)).get().status) ?? -1 }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        XCTAssertEqual(statuses, Array(repeating: 200, count: 100))
    }

    func testSequentialRequestsReuseOneConnection() throws {
        let client = CurlMultiClient()
        defer { client.shutdown() }
        for _ in 0..<20 {
            XCTAssertEqual(try client.perform(ClientRequest(url: server.url("/hello"))).get().status, 200)
            XCTAssertEqual(try client.perform(ClientRequest(method: "POST", url: server.url("/echo"), body: [1, 2])).get().status, 200)
        }
        XCTAssertEqual(server.acceptedConnections, 1)
    }

    func testRequestWaitingForAConnectionTimesOutOnTime() {
        let client = CurlMultiClient(maxTotalConnections: 1)
        defer { client.shutdown() }
        client.execute(ClientRequest(url: server.url("/slow"), totalTimeout: 10)) { _ in }   // holds the only connection
        usleep(100_000)
        let started = Date()
        let result = client.perform(ClientRequest(url: server.url("/hello"), totalTimeout: 0.3))
        guard case .failure(.timedOut) = result else { return XCTFail("expected timedOut, got \(result)") }
        // libcurl alone would report this only when the slow transfer frees the connection (~2 s).
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.0)
    }

    func testShutdownFailsPendingTransfersAndIsIdempotent() throws {
        let client = CurlMultiClient(maxTotalConnections: 2)
        let results = Results()
        for _ in 0..<6 {   // two run on the slow server, four wait for a connection
            results.done.enter()
            client.execute(ClientRequest(url: server.url("/slow"), totalTimeout: 30)) { results.add($0) }
        }
        XCTAssertEqual(client.activeTransfers, 6)
        usleep(200_000)   // let two transfers reach the server
        let started = Date()
        client.shutdown()
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5, "shutdown must not wait for the slow server")
        // shutdown() joined the loop thread, which completed everything before exiting.
        XCTAssertEqual(results.done.wait(timeout: .now()), .success)
        XCTAssertEqual(results.all.count, 6)
        for result in results.all {
            XCTAssertEqual(result.map(\.status), .failure(.shutDown))
        }
        XCTAssertEqual(client.activeTransfers, 0)

        client.shutdown()
        XCTAssertEqual(client.perform(ClientRequest(url: server.url("/hello"))).map(\.status), .failure(.shutDown))
        let async = Results()
        async.done.enter()
        client.execute(ClientRequest(url: server.url("/hello"))) { async.add($0) }
        XCTAssertEqual(async.done.wait(timeout: .now()), .success, "after shutdown completion runs at once")
    }

    func testConcurrentShutdownCallsAllReturn() {
        let client = CurlMultiClient()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in client.shutdown() }
        XCTAssertEqual(client.perform(ClientRequest(url: server.url("/hello"))).map(\.status), .failure(.shutDown))
    }

    func testShutdownFromCompletionDoesNotDeadlock() {
        let client = CurlMultiClient()
        let results = Results()
        results.done.enter()
        client.execute(ClientRequest(url: server.url("/hello"))) { result in
            client.shutdown()
            results.add(result)
        }
        XCTAssertEqual(results.done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(results.all.first.map { $0.map(\.status) }, .success(200))
        client.shutdown()
    }

    func testPerformFromCompletionFailsInsteadOfDeadlocking() {
        let client = CurlMultiClient()
        defer { client.shutdown() }
        let results = Results()
        results.done.enter()
        let url = server.url("/hello")
        client.execute(ClientRequest(url: url)) { _ in results.add(client.perform(ClientRequest(url: url))) }
        XCTAssertEqual(results.done.wait(timeout: .now() + 5), .success)
        guard case .failure(.invalidRequest)? = results.all.first else {
            return XCTFail("expected invalidRequest, got \(String(describing: results.all.first))")
        }
    }

    func testReleasingClientStopsItsThread() {
        var client: CurlMultiClient? = CurlMultiClient()
        XCTAssertEqual(client?.perform(ClientRequest(url: server.url("/hello"))).map(\.status), .success(200))
        weak let released = client
        client = nil   // deinit shuts down and joins
        XCTAssertNil(released)
    }
}
