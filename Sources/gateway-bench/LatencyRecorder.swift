import Foundation

/// Collects per-request latencies from many threads and summarizes them.
final class LatencyRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [Double] = []
    private(set) var failures = 0

    init(capacity: Int = 1 << 20) { samples.reserveCapacity(capacity) }

    func record(seconds: Double) {
        lock.lock()
        samples.append(seconds)
        lock.unlock()
    }

    func recordFailure() {
        lock.lock()
        failures += 1
        lock.unlock()
    }

    struct Summary {
        let count: Int
        let failures: Int
        let perSecond: Double
        let p50: Double
        let p99: Double
        let max: Double
        /// Cores busy on average during the run (whole process), when measured.
        var cpuCores: Double?
        /// Cores used per thread name during the run, when measured.
        var threadCores: [(name: String, cores: Double)] = []
        /// Cores busy on the whole machine during the run (this process and everything else), when measured.
        var machineCores: Double?

        /// The per-thread CPU line (`  cpu by thread: ...`), or nil when not measured.
        var threadLine: String? {
            guard !threadCores.isEmpty, perSecond > 0 else { return nil }
            return "  cpu by thread: "
                + ThreadCPU.line(threadCores, requests: count, elapsed: Double(count) / perSecond)
        }

        /// One aligned line: name, rate, then latencies in milliseconds.
        func line(_ name: String, unit: String = "req/s") -> String {
            let rate = String(format: "%10.0f %@", perSecond, unit)
            let lat = String(format: "p50 %7.3f ms  p99 %7.3f ms  max %8.3f ms", p50 * 1000, p99 * 1000, max * 1000)
            var cpu = cpuCores.map { String(format: "   cpu %.2f cores", $0) } ?? ""
            if let machine = machineCores, let own = cpuCores {
                cpu += String(format: " (others %.2f)", Swift.max(0, machine - own))
            }
            return "\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(rate)   \(lat)   n=\(count) failed=\(failures)\(cpu)"
        }
    }

    func summary(elapsed: Double, cpuCores: Double? = nil) -> Summary {
        lock.lock()
        let sorted = samples.sorted()
        let failed = failures
        lock.unlock()
        func quantile(_ q: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
        }
        return Summary(count: sorted.count, failures: failed, perSecond: Double(sorted.count) / elapsed,
                       p50: quantile(0.5), p99: quantile(0.99), max: sorted.last ?? 0, cpuCores: cpuCores)
    }
}
