import Foundation

/// CPU time of this process's threads, summed by thread name (`/proc/self/task/*/stat`, Linux). The writer,
/// libmicrohttpd, libcurl and worker threads name themselves, so two snapshots show where the cores went during a
/// run — a figure that stays meaningful when other work on the machine makes throughput swing.
struct ThreadCPU {
    /// Seconds of user + system CPU per thread name.
    let seconds: [String: Double]

    static func snapshot() -> ThreadCPU {
        var seconds: [String: Double] = [:]
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for task in tasks {
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            guard rest.count > 12, let user = Double(rest[11]), let system = Double(rest[12]) else { continue }
            let name = String(stat[stat.index(after: open)..<close])
            seconds[name, default: 0] += (user + system) / ticksPerSecond
        }
        return ThreadCPU(seconds: seconds)
    }

    /// Cores used per thread name between `earlier` and this snapshot, busiest first.
    func cores(since earlier: ThreadCPU, elapsed: Double) -> [(name: String, cores: Double)] {
        seconds.map { name, total in (name, (total - (earlier.seconds[name] ?? 0)) / max(elapsed, 1e-9)) }
            .filter { $0.cores >= 0.005 }
            .sorted { $0.cores > $1.cores }
    }

    /// `sqlite-writer 0.61 (87 µs/req), curl-multi 0.45 (64 µs/req), ...` for a run of `requests` requests.
    static func line(_ cores: [(name: String, cores: Double)], requests: Int, elapsed: Double) -> String {
        let perRequest = elapsed / Double(max(requests, 1)) * 1e6
        return cores.map { String(format: "%@ %.2f (%.0f µs/req)", $0.name, $0.cores, $0.cores * perRequest) }
            .joined(separator: ", ")
    }
}

/// Busy time of the whole machine (`/proc/stat`), to tell how much of the cores other processes took during a run:
/// on a shared machine that, not the code, is what makes runs differ.
struct MachineCPU {
    let busy: Double
    let total: Double

    static func snapshot() -> MachineCPU {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first else { return MachineCPU(busy: 0, total: 0) }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 5 else { return MachineCPU(busy: 0, total: 0) }
        let idle = fields[3] + fields[4]  // idle + iowait
        let total = fields.prefix(8).reduce(0, +)
        return MachineCPU(busy: total - idle, total: total)
    }

    /// Cores busy machine-wide between `earlier` and this snapshot.
    func cores(since earlier: MachineCPU) -> Double {
        let total = self.total - earlier.total
        guard total > 0 else { return 0 }
        return (busy - earlier.busy) / total * Double(ProcessInfo.processInfo.activeProcessorCount)
    }
}
