import Foundation
import HTTPClient

/// Closed-loop HTTP load over one libcurl multi client: `connections` requests are kept in flight, each completion
/// immediately sends the next, until the time is up. Keep-alive connections are reused, as a real sender would.
struct LoadGenerator {
    let connections: Int
    let seconds: Double
    /// Builds request number `n` (sequence numbers make payloads unique where the target dedupes).
    let makeRequest: @Sendable (Int) -> ClientRequest
    /// Which statuses count as success.
    var expectedStatus: Int = 200
    /// Whether connections are opened (and caches filled) with `connections` unmeasured requests first.
    var warmsUp = true
    /// A connection whose request failed (another status, or no answer: a server being restarted) waits this long
    /// before its next request, so a dead server is not hammered in a tight loop.
    var pauseAfterFailure: Double = 0
    /// Told the answer to request number `n` (on the client's completion thread), beside the latency recording.
    var onAnswer: (@Sendable (_ n: Int, _ result: Result<ClientResponse, ClientError>) -> Void)?

    func run() -> LatencyRecorder.Summary {
        let client = CurlMultiClient(maxTotalConnections: connections, maxConnectionsPerHost: connections)
        defer { client.shutdown() }
        if warmsUp { warmUp(client) }

        let recorder = LatencyRecorder()
        let sequence = Counter()
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        let (expected, pause, onAnswer) = (expectedStatus, pauseAfterFailure, onAnswer)
        let make = makeRequest

        @Sendable func send() {
            let n = sequence.next()
            let sent = DispatchTime.now().uptimeNanoseconds
            group.enter()
            client.execute(make(n)) { result in
                let now = DispatchTime.now().uptimeNanoseconds
                onAnswer?(n, result)
                var succeeded = false
                if case .success(let response) = result, response.status == expected { succeeded = true }
                if succeeded {
                    recorder.record(seconds: Double(now - sent) / 1e9)
                } else {
                    recorder.recordFailure()
                }
                if now < deadline && !succeeded && pause > 0 {
                    group.enter()   // held across the pause, so the run cannot end in between
                    DispatchQueue.global().asyncAfter(deadline: .now() + pause) {
                        if DispatchTime.now().uptimeNanoseconds < deadline { send() }
                        group.leave()
                    }
                } else if now < deadline {
                    send()
                }
                group.leave()
            }
        }
        let cpuBefore = Self.processCPUSeconds()
        let threadsBefore = ThreadCPU.snapshot()
        let machineBefore = MachineCPU.snapshot()
        for _ in 0..<connections { send() }
        group.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = (Self.processCPUSeconds() - cpuBefore) / elapsed
        var summary = recorder.summary(elapsed: elapsed, cpuCores: cpu)
        summary.threadCores = ThreadCPU.snapshot().cores(since: threadsBefore, elapsed: elapsed)
        summary.machineCores = MachineCPU.snapshot().cores(since: machineBefore)
        return summary
    }

    /// User + system CPU time of this whole process (load generator and server alike), seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Opens the connections and fills caches before measuring.
    private func warmUp(_ client: CurlMultiClient) {
        let group = DispatchGroup()
        for i in 0..<connections {
            group.enter()
            client.execute(makeRequest(-1 - i)) { _ in group.leave() }
        }
        group.wait()
    }
}

/// A thread-safe increasing counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
