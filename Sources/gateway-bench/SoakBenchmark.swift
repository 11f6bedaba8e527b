import CMalloc
import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import HTTPClient
import Ingress
import Storage

/// A long run at a fixed rate of signed WhatsApp deliveries (new senders, so identity and tickets do real work),
/// sampling every `--sample` seconds what a leak or a stuck stage would show: resident memory, open files, the inbox
/// backlog and lag, and how many deliveries were acknowledged. Memory should be flat once the caches are warm; to tell
/// caches filling from a leak it also samples the heap (bytes allocated and bytes malloc keeps free) and what SQLite
/// holds (page caches, prepared statements): the heap outside SQLite must level off.
struct SoakBenchmark {
    /// `--minutes` of load (30), `--rate` deliveries per second (500), a `--sample` every so many seconds (10).
    let (minutes, rate, sampleSeconds): (Double, Int, Double)

    init(options: BenchOptions) {
        (minutes, rate, sampleSeconds) = (options.double("minutes", default: 30), options.int("rate", default: 500),
                                          options.double("sample", default: 10))
    }

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gateway-soak-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        print("gateway-bench soak: \(rate) deliveries/s for \(minutes) min, a sample every \(sampleSeconds) s")
        do {
            var config = GatewayConfig()
            config.server.port = 0
            config.server.perIPConnectionLimit = 0
            config.store.path = directory.appendingPathComponent("gateway.sqlite").path
            config.whatsapp.appSecret = WhatsAppPayload.appSecret
            let app = try GatewayApp(config: config, log: EventLog(minimum: .error))
            try app.start()
            defer { app.shutdown() }
            let counts = SoakCounts()
            // The load generator runs in this process and its memory is measured with the gateway's: it keeps few
            // idle transfer handles (~20 KiB each), so a moment of many requests in flight does not leave it holding
            // hundreds of them, which would read as the gateway's heap growing.
            let client = CurlMultiClient(idleHandleLimit: 16)
            defer { client.shutdown() }
            let url = "http://127.0.0.1:\(app.port)/webhooks/whatsapp"
            print("   t(s)   rss  heap  free  page caches  statements  heap-sqlite (MiB)  open files  acknowledged"
                  + "  failed  backlog(normalize/apply)  lag(s)")
            let start = Date()
            var sent = 0
            var nextSample = sampleSeconds
            while Date().timeIntervalSince(start) < minutes * 60 {
                let elapsed = Date().timeIntervalSince(start)
                while Double(sent) < elapsed * Double(rate) {
                    let body = WhatsAppPayload.make(sent)
                    let headers = SignedWebhook.whatsApp(body, appSecret: WhatsAppPayload.appSecret)
                    client.execute(ClientRequest(method: "POST", url: url, headers: headers, body: body)) {
                        counts.record($0)
                    }
                    sent += 1
                }
                if elapsed >= nextSample {
                    print(sample(elapsed, app, counts))
                    fflush(nil)  // every stream: a long run's samples reach a log file as they are taken
                    nextSample += sampleSeconds
                }
                usleep(1_000)
            }
            print(sample(Date().timeIntervalSince(start), app, counts))
            return 0
        } catch {
            FileHandle.standardError.write(Data("soak failed: \(error)\n".utf8))
            return 1
        }
    }

    private func sample(_ elapsed: Double, _ app: GatewayApp, _ counts: SoakCounts) -> String {
        let metrics = app.metrics.render()
        func gauge(_ series: String) -> String {
            metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }
                .map { String($0.dropFirst(series.count + 1)) } ?? "?"
        }
        let (acknowledged, failed) = counts.snapshot
        let backlog = gauge(#"gateway_inbox_backlog{stage="normalize"}"#) + "/"
            + gauge(#"gateway_inbox_backlog{stage="apply"}"#)
        let heap = ProcessStats.heapMiB()
        let sqlite = (app.store as? SQLiteGatewayStore).map { $0.sqlite.memory() + $0.log.memory() } ?? .zero
        func mebibytes(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }
        return String(format: "%7.0f %5.1f %5.1f %5.1f %12.1f %11.1f %18.1f %11d %13d %7d %25@ %7@", elapsed,
                      ProcessStats.residentMiB(), heap.inUse, heap.free, mebibytes(sqlite.pageCache),
                      mebibytes(sqlite.statements), heap.inUse - mebibytes(sqlite.total), ProcessStats.openFiles(),
                      acknowledged, failed, backlog, gauge("gateway_inbox_lag_seconds"))
    }
}

/// Answers counted from the client's completion thread.
final class SoakCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var acknowledged = 0
    private var failed = 0

    func record(_ result: Result<ClientResponse, ClientError>) {
        lock.lock()
        if case .success(let response) = result, response.status == 200 { acknowledged += 1 } else { failed += 1 }
        lock.unlock()
    }

    var snapshot: (Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        return (acknowledged, failed)
    }
}

/// This process's resident memory and open file descriptors (from /proc) and its heap (from malloc).
enum ProcessStats {
    static func heapMiB() -> (inUse: Double, free: Double) {
        (Double(gw_heap_bytes_in_use()) / 1_048_576, Double(gw_heap_bytes_free()) / 1_048_576)
    }

    static func residentMiB() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return -1 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    static func openFiles() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }
}
