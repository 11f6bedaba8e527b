import CThreadName
import Foundation
import Glibc

/// Closed-loop HTTP/1.1 load over plain keep-alive sockets driven by one `poll` thread: the same loop as
/// ``LoadGenerator`` (N connections, each sends its next request when the previous answer is complete), for a
/// fraction of libcurl's CPU per request. On a 2-core machine the load generator runs on the cores it measures;
/// libcurl's multi loop took ~25-30 µs of CPU per request there, about as much as the gateway's HTTP server.
///
/// Deliberately minimal: 127.0.0.1 only, responses framed by `Content-Length` (what libmicrohttpd sends for a
/// buffered answer), one request in flight per connection.
struct SocketLoadGenerator: Sendable {
    /// One request: everything after the `Host` header is ours to choose.
    struct Request: Sendable {
        var method = "POST"
        var path: String
        var headers: [(String, String)]
        var body: [UInt8]
    }

    let port: UInt16
    /// More servers to spread the connections over, round robin with `port` (several gateway instances).
    var otherPorts: [UInt16] = []
    let connections: Int
    let seconds: Double
    /// Builds request number `n` (negative numbers are the warm-up requests).
    let makeRequest: @Sendable (Int) -> Request
    var expectedStatus = 200
    /// Requests built before the clock starts (numbers 1...prebuilt; later ones are built as they are sent), so the
    /// client's share of the cores it measures on is sending and receiving, as a sender elsewhere would cost nothing
    /// here. 0 = build each as it is sent.
    var prebuilt = 0
    /// Connections opened before the load and left silent throughout (keep-alive clients between messages): each
    /// sits in a server thread's set of connections while the others carry the load.
    var idleConnections = 0

    /// Runs the load on a thread of its own, named `load-client` so the per-thread CPU shows the client apart.
    func run() throws -> LatencyRecorder.Summary {
        final class Outcome: @unchecked Sendable { var result: Result<LatencyRecorder.Summary, Error>? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = gw_name_current_thread("load-client")  // not `Thread.name`: see CThreadName
            outcome.result = Result { try measure() }
            done.signal()
        }
        thread.start()
        done.wait()
        return try outcome.result!.get()
    }

    private func measure() throws -> LatencyRecorder.Summary {
        let ports = [port] + otherPorts
        let idle = try (0..<idleConnections).map { try Connection(port: ports[$0 % ports.count]) }
        var sockets = try (0..<connections).map { try Connection(port: ports[$0 % ports.count]) }
        defer { for socket in sockets + idle { close(socket.fd) } }
        var next = 0
        // Warm-up: one answered request per connection, not measured.
        for index in sockets.indices { try sockets[index].send(encode(makeRequest(-1 - index)), at: 0) }
        try drive(&sockets) { _, _ in false }

        let ready = (0..<prebuilt).map { encode(makeRequest($0 + 1)) }
        func request(_ n: Int) -> [UInt8] { n <= ready.count ? ready[n - 1] : encode(makeRequest(n)) }
        let recorder = LatencyRecorder()
        let cpuBefore = LoadGenerator.processCPUSeconds()
        let threadsBefore = ThreadCPU.snapshot()
        let machineBefore = MachineCPU.snapshot()
        let start = Self.now()
        let deadline = start + UInt64(seconds * 1e9)
        for index in sockets.indices {
            next += 1
            try sockets[index].send(request(next), at: Self.now())
        }
        let expected = expectedStatus
        try drive(&sockets) { connection, status in
            let now = Self.now()
            if status == expected {
                recorder.record(seconds: Double(now - connection.sentAt) / 1e9)
            } else {
                recorder.recordFailure()
            }
            return now < deadline
        } send: { connection in
            next += 1
            try connection.send(request(next), at: Self.now())
        }
        let elapsed = Double(Self.now() - start) / 1e9
        var summary = recorder.summary(elapsed: elapsed,
                                       cpuCores: (LoadGenerator.processCPUSeconds() - cpuBefore) / elapsed)
        summary.threadCores = ThreadCPU.snapshot().cores(since: threadsBefore, elapsed: elapsed)
        summary.machineCores = MachineCPU.snapshot().cores(since: machineBefore)
        return summary
    }

    /// Polls until every connection's answer is in; `answered` says whether that connection continues (then `send`
    /// sends its next request). Returns the number of answers.
    @discardableResult
    private func drive(_ sockets: inout [Connection], answered: (Connection, Int) -> Bool,
                       send: (inout Connection) throws -> Void = { _ in }) throws -> Int {
        var waiting = sockets.count
        var answers = 0
        var fds = sockets.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        while waiting > 0 {
            guard poll(&fds, nfds_t(fds.count), 10_000) > 0 else { throw BenchSocketError.timedOut }
            for index in fds.indices where fds[index].revents != 0 {
                fds[index].revents = 0
                while let status = try sockets[index].receive() {
                    answers += 1
                    if answered(sockets[index], status) {
                        try send(&sockets[index])
                    } else {
                        fds[index].events = 0  // done: stop polling it
                        fds[index].fd = -1
                        waiting -= 1
                        break
                    }
                }
            }
        }
        return answers
    }

    private func encode(_ request: Request) -> [UInt8] {
        var head = "\(request.method) \(request.path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(request.body.count)\r\n\r\n"
        return Array(head.utf8) + request.body
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// One keep-alive connection and what it has received.
private struct Connection {
    let fd: Int32
    var sentAt: UInt64 = 0
    private var frames = HTTPFrames()

    init(port: UInt16) throws {
        fd = try BenchSocket.connect(port: port)
    }

    mutating func send(_ bytes: [UInt8], at time: UInt64) throws {
        sentAt = time
        try BenchSocket.send(fd, bytes)
    }

    /// Reads what is available; the status of a complete answer, or nil while incomplete.
    mutating func receive() throws -> Int? {
        if let line = frames.next() { return try HTTPFrames.status(line) ?? { throw BenchSocketError.badResponse }() }
        guard try frames.receive(from: fd) else { return nil }
        guard let line = frames.next() else { return nil }
        return try HTTPFrames.status(line) ?? { throw BenchSocketError.badResponse }()
    }
}
