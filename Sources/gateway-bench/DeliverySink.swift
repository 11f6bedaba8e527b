import Foundation
import HTTPServer

/// The benchmark's delivery target: a libmicrohttpd server on 127.0.0.1 that answers 200 at once and notes when each
/// event (`webhook-id: bench.<n>`) first arrived, next to when its state change committed, for end-to-end latency.
final class DeliverySink: HTTPHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var committedAt: [UInt64]
    private var receivedAt: [UInt64]
    private var distinct = 0
    private(set) var requests = 0
    private var server: HTTPServer?

    init(events: Int) throws {
        committedAt = Array(repeating: 0, count: events)
        receivedAt = Array(repeating: 0, count: events)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.connectionLimit = 4096
        let server = HTTPServer(configuration: configuration, handler: self)
        try server.start()
        self.server = server
    }

    var url: String { "http://127.0.0.1:\(server?.port ?? 0)" }

    func stop() {
        server?.stop(drainTimeout: 1)
        server = nil
    }

    /// Starts a fresh measurement of `events` events.
    func reset(events: Int) {
        lock.lock()
        committedAt = Array(repeating: 0, count: events)
        receivedAt = Array(repeating: 0, count: events)
        distinct = 0
        requests = 0
        lock.unlock()
    }

    func committed(_ n: Int) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        committedAt[n] = now
        lock.unlock()
    }

    /// Events that have arrived at least once.
    var delivered: Int {
        lock.lock()
        defer { lock.unlock() }
        return distinct
    }

    /// Waits until every event arrived or `timeout` passed; returns whether all did.
    func waitForAll(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lock.lock()
            let done = distinct == receivedAt.count
            lock.unlock()
            if done { return true }
            usleep(1_000)
        }
        return false
    }

    /// Commit-to-arrival latencies, and the rate over the span from `start` (default: the first commit) to the
    /// last arrival.
    func summary(from start: UInt64? = nil) -> LatencyRecorder.Summary {
        lock.lock()
        let pairs = zip(committedAt, receivedAt).filter { $0.0 > 0 && $0.1 > 0 }
        lock.unlock()
        let recorder = LatencyRecorder(capacity: pairs.count)
        for (committed, received) in pairs { recorder.record(seconds: Double(received &- min(committed, received)) / 1e9) }
        let first = start ?? pairs.map(\.0).min() ?? 0
        let last = pairs.map(\.1).max() ?? 0
        return recorder.summary(elapsed: max(Double(last &- first) / 1e9, 1e-9))
    }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let now = DispatchTime.now().uptimeNanoseconds
        if let id = request.headers["webhook-id"], id.hasPrefix("bench."), let n = Int(id.dropFirst(6)) {
            lock.lock()
            requests += 1
            if n >= 0, n < receivedAt.count, receivedAt[n] == 0 {
                receivedAt[n] = now
                distinct += 1
            }
            lock.unlock()
        }
        respond(HTTPResponse(status: 200))
    }
}
