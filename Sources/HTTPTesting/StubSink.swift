import Foundation
import HTTPServer

/// A delivery target for outbound tests: a libmicrohttpd server on 127.0.0.1 (ephemeral port) that records every
/// request and answers what the test's script says — a status (with headers), or nothing for a while (a hang).
package final class StubSink: HTTPHandler, @unchecked Sendable {
    package struct Received: Sendable {
        package let method: String
        package let path: String
        package let headers: HTTPHeaders
        package let body: [UInt8]
        package let at: Date

        package var webhookID: String? { headers["webhook-id"] }
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    package enum Reply: Sendable {
        case status(Int, headers: [(String, String)] = [], body: String = "")
        /// A binary body (an image, a PDF): bytes a `String` cannot hold.
        case bytes(Int, headers: [(String, String)] = [], body: [UInt8])
        /// Answer 200 only after this many seconds (longer than the client's timeout: a hang).
        case delayed(TimeInterval)
    }

    /// Decides the reply to the n-th request (0-based) of the sink.
    package typealias Script = @Sendable (_ index: Int, _ request: Received) -> Reply

    private let lock = NSLock()
    private var requests: [Received] = []
    private var script: Script
    private var server: HTTPServer?
    private var answering = 0
    private var mostAnswering = 0

    /// - Parameter port: 0 for an ephemeral port (the default), or a specific free one.
    package init(port: UInt16 = 0, threads: Int = 2, script: @escaping Script = { _, _ in .status(200) }) throws {
        self.script = script
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.threadPoolSize = threads
        configuration.connectionLimit = 4096
        let server = HTTPServer(configuration: configuration, handler: self)
        try server.start()
        self.server = server
    }

    deinit { stop() }

    package func stop() {
        lock.lock()
        let server = self.server
        self.server = nil
        lock.unlock()
        server?.stop(drainTimeout: 0)
    }

    package var url: String {
        lock.lock()
        defer { lock.unlock() }
        return "http://127.0.0.1:\(server?.port ?? 0)"
    }

    package func setScript(_ script: @escaping Script) {
        lock.lock()
        self.script = script
        lock.unlock()
    }

    package var received: [Received] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    /// The most requests the sink was answering at the same time.
    package var maxConcurrent: Int {
        lock.lock()
        defer { lock.unlock() }
        return mostAnswering
    }

    /// A port on 127.0.0.1 nobody listens on (bound by the kernel, then released): connections are refused.
    package static func unusedPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                _ = bind(fd, pointer, length)
                return getsockname(fd, pointer, &length)
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    package func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let received = Received(method: request.method, path: request.path, headers: request.headers,
                                body: request.body, at: Date())
        lock.lock()
        let index = requests.count
        requests.append(received)
        let script = self.script
        answering += 1
        mostAnswering = max(mostAnswering, answering)
        lock.unlock()
        let answer: @Sendable (HTTPResponse) -> Void = { [self] response in
            lock.lock()
            answering -= 1
            lock.unlock()
            respond(response)
        }
        switch script(index, received) {
        case .status(let status, let headers, let body):
            answer(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
        case .bytes(let status, let headers, let body):
            answer(HTTPResponse(status: status, headers: headers, body: body))
        case .delayed(let seconds):
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { answer(HTTPResponse(status: 200)) }
        }
    }
}

/// A clock tests move by hand (unix milliseconds): the gateway's one clock in tests.
package final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var millis: Int64

    package init(start: Int64 = 1_750_000_000_000) { millis = start }

    package var now: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return millis
    }

    /// Unix seconds (what signed webhooks carry).
    package var seconds: Int64 { now / 1000 }

    package func advance(seconds: Int64) { advance(milliseconds: seconds * 1000) }

    package func advance(milliseconds: Int64) {
        lock.lock()
        millis += milliseconds
        lock.unlock()
    }
}
