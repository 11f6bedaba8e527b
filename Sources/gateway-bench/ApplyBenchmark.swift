import Configuration
import Crypto
import Delivery
import Foundation
import GatewayKit
import Ingress
import Storage
import WhatsAppAdapter

/// The apply pipeline alone, with nothing else running: `--deliveries` signed WhatsApp deliveries (the `inbound`
/// benchmark's, new senders) are logged in the inbox as the webhook route logs them, without HTTP and not timed; then
/// the gateway's own normalizer and inbound applier — a ``GatewayApp`` built from the default configuration, only
/// those two started — read, normalize, record and apply them until none is left.
///
/// It prints the rate and the CPU per delivery by thread, and does the same work for the same input every run, so it
/// can run under `valgrind --tool=callgrind` (`scripts/count-instructions.sh`): instructions per delivery are a
/// yardstick that holds still on a shared machine, where the rate of the same binary swings by a third within an hour.
/// For that, `--prepare DIR` only logs the deliveries, into a store in DIR, and `--from DIR` only applies them, on a
/// copy of that store: the instructions counted are then the apply's (and the app's start, the same for any N).
struct ApplyBenchmark {
    let deliveries: Int
    let synchronous: String
    let ids: WhatsAppPayload.IDs
    /// Only log the deliveries, into a store in this folder (`--prepare DIR`).
    let prepareOnly: String?
    /// Only apply, on a copy of the store a `--prepare` run left in this folder (`--from DIR`).
    let preparedStore: String?

    init(options: BenchOptions) {
        deliveries = max(1, options.int("deliveries", default: 20_000))
        synchronous = options.string("synchronous", default: "full")
        ids = options.string("ids", default: "random") == "sequential" ? .sequential : .random
        prepareOnly = options.optionalString("prepare")
        preparedStore = options.optionalString("from")
    }

    func run() -> Int32 {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        let directory = prepareOnly.map { URL(fileURLWithPath: $0) } ?? scratch
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            if let preparedStore {
                try FileManager.default.copyItem(at: URL(fileURLWithPath: preparedStore), to: directory)
            } else {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
            var config = GatewayConfig()
            config.server.port = 0
            config.store.path = directory.appendingPathComponent("apply.sqlite").path
            config.store.synchronous = synchronous
            config.whatsapp.appSecret = WhatsAppPayload.appSecret
            // The CRM's endpoints, so new customers and tickets write their outbox rows (nothing sends them here).
            config.outbound[url: .crm] = "http://127.0.0.1:9/crm"
            config.outbound[url: .omnichannel] = "http://127.0.0.1:9/omnichannel"
            // The clock starts on a fixed day and runs at real speed, as in production.
            let started = Date()
            let app = try GatewayApp(config: config, log: EventLog(minimum: .error),
                                     clock: { 1_767_000_000_000 + Int64(Date().timeIntervalSince(started) * 1000) })
            defer { app.shutdown() }
            if preparedStore == nil { try log(into: app.store) }
            if prepareOnly != nil { return 0 }
            let deliveries = try app.store.inboxBacklog().deliveries
            print("gateway-bench apply: \(deliveries) deliveries from new senders, "
                  + (preparedStore == nil ? "\(ids) ids" : "logged by a --prepare run")
                  + ", synchronous=\(synchronous), normalizer batches of \(config.normalizer.batchSize), "
                  + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
            let threadsBefore = ThreadCPU.snapshot()
            let start = Date()
            app.inboundApplier.start()
            app.normalizer.start()
            app.normalizer.wake()
            try waitUntilApplied(app)
            let elapsed = Date().timeIntervalSince(start)
            // Before the threads stop: a thread that has ended is no longer in the snapshot.
            let cores = ThreadCPU.snapshot().cores(since: threadsBefore, elapsed: elapsed)
            app.normalizer.stop()
            app.inboundApplier.stop()
            print(String(format: "applied %6.0f deliveries/s (%d deliveries in %.2f s)", Double(deliveries) / elapsed,
                         deliveries, elapsed))
            print("  cpu by thread: " + ThreadCPU.line(Array(cores.prefix(6)), requests: deliveries, elapsed: elapsed)
                .replacingOccurrences(of: "/req", with: "/delivery"))
            print(try appliedLine(app, label: "apply"))
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    /// Logs the deliveries as the webhook route does (its dedupe key, acknowledgement and status), all queued at once
    /// so the log's writer commits them in groups; returns when every one is stored.
    private func log(into store: any GatewayStore) throws {
        let stored = DispatchGroup()
        let failures = FailureCount()
        for n in 0..<deliveries {
            let body = WhatsAppPayload.make(n, sender: n, ids: ids)
            let signature = MetaSignatureVerifier.sign(body: body, appSecret: WhatsAppPayload.appSecret)
            let publicID = "dlv_bench\(n)"
            stored.enter()
            store.appendDelivery(NewDelivery(
                publicID: publicID, source: .whatsapp, dedupeKey: "whatsapp:" + signature.dropFirst("sha256=".count),
                receivedAtMillis: 1_767_000_000_000, requestID: nil, traceparent: nil, body: body, responseStatus: 200,
                responseBody: Array(#"{"inbox_id":"\#(publicID)","status":"accepted"}"#.utf8))) { result in
                if case .success(.stored) = result {} else { failures.add() }
                stored.leave()
            }
        }
        stored.wait()
        if failures.count > 0 { throw LoggingFailed(count: failures.count) }
    }

    /// Polls every 10 ms until the log is read to its end and every item applied (at most 10 minutes).
    private func waitUntilApplied(_ app: GatewayApp) throws {
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            if try app.store.oldestUnappliedReceivedAt() == nil && !app.normalizer.isRecording
                && !app.inboundApplier.isApplying { return }
            usleep(10_000)
        }
        throw BenchmarkTimeout(what: "applying the logged deliveries")
    }
}

/// Deliveries the inbox log refused while the benchmark filled it.
private struct LoggingFailed: Error, CustomStringConvertible {
    let count: Int
    var description: String { "\(count) deliveries could not be logged" }
}

/// Counts failures reported from the log writer's completion thread.
private final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}
