import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import HTTPClient
import HTTPServer
import Ingress
import Storage

/// Signed WhatsApp webhooks through the real gateway, next to the two ceilings it cannot beat: a bare libmicrohttpd
/// handler (HTTP cost alone) and SQLite's durable commit rate (storage cost alone). Every delivery is a new message
/// from one of `--senders` senders (new at first, returning once the run wraps around), so identity and tickets do
/// real work; the run reports what users see — deliveries acknowledged per second, and the sustained rate at which
/// they are fully applied (the load's deliveries over the time until the last of them went through the inbound
/// steps), and the rate at which the backlog left when the load stops is applied (the apply pipeline alone: during a
/// burst, normalizing waits so that acknowledgements have the cores). To measure how it scales, pin the whole benchmark to N cores: `taskset -c 0-(N-1) gateway-bench inbound`.
struct InboundBenchmark {
    let connections: Int
    let seconds: Double
    let synchronous: String
    /// libmicrohttpd worker threads for the gateway run (0 = one per core).
    let threads: Int
    /// Distinct senders the deliveries come from.
    let senders: Int
    /// Also run on PostgreSQL, with one and with two instances (`--postgres yes` or `--database-url`).
    let postgres: BenchPostgres?
    /// Load from the socket client (default: a few µs of CPU per request) or from libcurl (`--harness libcurl`,
    /// ~25 µs per request, taken from the same two cores the gateway runs on).
    let socketHarness: Bool
    /// PostgreSQL runs of one and two instances, alternating (`--pairs N`): the first pair also waits until the
    /// deliveries are applied, the others measure the acknowledgement only; the ratio's median is printed (a shared
    /// machine's speed drifts between runs).
    let pairs: Int
    /// Connections held open and silent during each HTTP run (`--idle N`, socket load generator only): what a
    /// server's per-wake-up cost over its open connections adds to the answers of the busy ones.
    let idleConnections: Int
    /// How message ids and senders' numbers look (`--ids sequential|random`): by default they count up, so every
    /// index they are in grows at its end; `random` ids land all over those indexes, as real ones do.
    let ids: WhatsAppPayload.IDs
    /// Deliveries per normalizer pass (`--batch N`, the gateway's `normalizer.batch_size`; nil = its default).
    let normalizerBatch: Int?

    init(options: BenchOptions) {
        normalizerBatch = options.optionalString("batch").flatMap(Int.init).map { max(1, $0) }
        ids = options.string("ids", default: "sequential") == "random" ? .random : .sequential
        idleConnections = max(0, options.int("idle", default: 0))
        pairs = max(1, options.int("pairs", default: 1))
        connections = options.int("connections", default: 64)
        seconds = options.double("seconds", default: 5)
        synchronous = options.string("synchronous", default: "full")
        threads = options.int("threads", default: 0)
        senders = max(1, options.int("senders", default: 50_000))
        socketHarness = options.string("harness", default: "sockets") != "libcurl"
        do {
            postgres = try BenchPostgres(options: options)
        } catch {
            FileHandle.standardError.write(Data("no PostgreSQL server for the benchmark: \(error)\n".utf8))
            postgres = nil
        }
    }

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        print("gateway-bench inbound: \(connections) connections, \(seconds) s per HTTP run, synchronous=\(synchronous), "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores, payload \(WhatsAppPayload.make(0).count) bytes "
              + "(a contact, a text message and a delivery status), "
              + "\(senders) senders, \(ids) ids, "
              + (normalizerBatch.map { "normalizer batches of \($0), " } ?? "")
              + "\(socketHarness ? "socket" : "libcurl") load generator"
              + (idleConnections > 0 ? ", \(idleConnections) idle connections" : ""))
        do {
            let bare = try bareServer(asynchronous: false)
            print(bare.line("bare libmicrohttpd 200 OK"))
            print(try bareServer(asynchronous: true).line("bare libmicrohttpd async 200 OK"))
            let sqlite = try SQLiteCeiling(path: directory.appendingPathComponent("ceiling.sqlite").path,
                                           synchronous: synchronous).measure()
            print(sqlite.single.line("sqlite 1 row / transaction", unit: "rows/s"))
            print(sqlite.batched.line("sqlite 64 rows / transaction", unit: "rows/s"))
            let path = directory.appendingPathComponent("gateway.sqlite").path
            let gateway = try gatewayRun(label: "gateway") { $0.store.path = path }
            let ceiling = min(bare.perSecond, sqlite.batched.perSecond)
            print(String(format: "gateway / lower ceiling = %.1f%%  (ceiling %.0f/s)", gateway.perSecond / ceiling * 100, ceiling))
            if let postgres {
                defer { postgres.stop() }
                var ratios: [Double] = []
                for pair in 0..<pairs {
                    var rates: [Double] = []
                    for instances in [1, 2] {
                        let url = try postgres.database("inbound\(instances)_\(pair)")
                        let label = "postgres, \(instances) instance\(instances == 1 ? "" : "s")"
                        rates.append(try gatewayRun(label: label, instances: instances, waitsForApplied: pair == 0) {
                            BenchPostgres.configure(&$0, url: url, instances: instances)
                        }.perSecond)
                    }
                    ratios.append(rates[1] / max(1, rates[0]))
                    print(String(format: "postgres: two instances / one = %.2fx acknowledged", ratios[pair]))
                }
                if pairs > 1 {
                    print(String(format: "postgres: two instances / one, median of %d pairs = %.2fx (%@)", pairs,
                                 ratios.sorted()[pairs / 2], ratios.map { String(format: "%.2f", $0) }
                                     .joined(separator: ", ")))
                }
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    /// `asynchronous` answers from another thread, as the gateway does after its commit (suspend/resume cost).
    private func bareServer(asynchronous: Bool) throws -> LatencyRecorder.Summary {
        struct OK: HTTPHandler {
            let asynchronous: Bool
            func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
                if asynchronous {
                    DispatchQueue.global().async { respond(HTTPResponse.text("OK")) }
                } else {
                    respond(HTTPResponse.text("OK"))
                }
            }
            func bodyTooLarge(_ request: HTTPRequest, limit: Int) -> HTTPResponse { HTTPResponse(status: 413) }
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.connectionLimit = max(configuration.connectionLimit, UInt32((connections + idleConnections) * 2))
        let server = HTTPServer(configuration: configuration, handler: OK(asynchronous: asynchronous))
        try server.start()
        defer { server.stop() }
        return try load(ports: [server.port]) { n in
            SocketLoadGenerator.Request(path: "/webhooks/whatsapp", headers: [("Content-Type", "application/json")],
                                        body: WhatsAppPayload.make(n))
        }
    }

    /// Closed-loop load from the chosen harness, its connections spread over `ports` round robin.
    private func load(ports: [UInt16],
                      _ request: @escaping @Sendable (Int) -> SocketLoadGenerator.Request) throws
        -> LatencyRecorder.Summary {
        guard !socketHarness else {
            var generator = SocketLoadGenerator(port: ports[0], connections: connections, seconds: seconds,
                                                makeRequest: request)
            generator.otherPorts = Array(ports.dropFirst())
            // Enough for the run at 40,000/s (about 1.5 KB each); beyond that they are built as they go.
            generator.prebuilt = min(1_000_000, Int(seconds * 40_000))
            generator.idleConnections = idleConnections
            return try generator.run()
        }
        return LoadGenerator(connections: connections, seconds: seconds) { n in
            let made = request(n)
            return ClientRequest(method: made.method, url: "http://127.0.0.1:\(ports[abs(n) % ports.count])\(made.path)",
                                 headers: made.headers, body: made.body)
        }.run()
    }

    /// The load against `instances` gateways on the store `configure` chooses (sharing one database), round robin.
    private func gatewayRun(label: String, instances: Int = 1, waitsForApplied: Bool = true,
                            configure: (inout GatewayConfig) -> Void) throws -> LatencyRecorder.Summary {
        var config = GatewayConfig()
        config.server.port = 0
        config.server.connectionLimit = max(1024, (connections + idleConnections) * 2)
        // Every load connection comes from 127.0.0.1: no per-address limit.
        config.server.perIPConnectionLimit = 0
        config.server.threadPoolSize = threads
        config.store.synchronous = synchronous
        config.whatsapp.appSecret = WhatsAppPayload.appSecret
        if let normalizerBatch { config.normalizer.batchSize = normalizerBatch }
        // The CRM's endpoints, so new customers and tickets write (and send) their outbox rows.
        let crm = try SocketStubServer(body: "{}")
        defer { crm.stop() }
        config.outbound[url: .crm] = crm.url
        config.outbound[url: .omnichannel] = crm.url
        configure(&config)
        let apps = try BenchPostgres.instances(instances, config: config)
        defer { apps.forEach { $0.shutdown() } }
        let app = apps[0]
        let senders = self.senders
        let ids = self.ids
        let threadsBefore = ThreadCPU.snapshot()
        let started = Date()
        let summary = try load(ports: apps.map(\.port)) { n in
            // The warm-up requests (negative numbers) come from senders of their own past the measured ones, with
            // well-formed numbers: counting up, a negative sender would make a phone number with a minus sign.
            let body = WhatsAppPayload.make(n, sender: n >= 0 ? n % senders : senders - 1 - n, ids: ids)
            return SocketLoadGenerator.Request(path: "/webhooks/whatsapp",
                                               headers: SignedWebhook.whatsApp(body, appSecret: WhatsAppPayload.appSecret),
                                               body: body)
        }
        print(summary.line("\(label) acknowledged"))
        if let threads = summary.threadLine { print(threads) }
        guard waitsForApplied else { return summary }
        let loadEnded = Date()
        // What was still waiting when the load stopped: drained by the apply pipeline alone, without the
        // acknowledgements competing for the cores.
        let backlog = try app.store.inboxBacklog().deliveries
        let queued = LatencyRecorder(capacity: 10_000)
        try waitUntilApplied(app, probing: queued)
        let applied = Date().timeIntervalSince(started)
        let drain = Date().timeIntervalSince(loadEnded)
        print(String(format: "%@ fully applied %6.0f deliveries/s (%d deliveries in %.1f s, the last %.1f s after "
                     + "the load stopped)", label, Double(summary.count) / applied, summary.count, applied, drain))
        print(String(format: "  after the load: %d deliveries waiting, applied at %.0f/s", backlog,
                     Double(backlog) / max(drain, 0.001)))
        let probes = queued.summary(elapsed: drain)
        print(String(format: "  a write queued behind the backlog (one every 0.1 s): p50 %.1f ms, p99 %.1f ms, "
                     + "max %.1f ms, n=%d", probes.p50 * 1000, probes.p99 * 1000, probes.max * 1000, probes.count))
        print(try appliedLine(app, label: label))
        // Where the cores went from the first request to the last item applied, per delivery: the thread that
        // saturates (the writer, on the embedded engine) is what limits the sustained rate.
        let cores = ThreadCPU.snapshot().cores(since: threadsBefore, elapsed: applied)
        print("  cpu by thread, load and apply: " + ThreadCPU.line(Array(cores.prefix(8)), requests: summary.count,
                                                                   elapsed: applied).replacingOccurrences(of: "/req", with: "/delivery"))
        if let store = app.store as? SQLiteGatewayStore {
            let stats = store.writer.stats
            print(String(format: "  writer: %d transactions, %.1f writes per transaction (group commit)",
                         stats.batches, Double(stats.operations) / Double(max(1, stats.batches))))
        }
        return summary
    }
}

/// What the applied deliveries made — customers, tickets, outbox rows — and how many items failed, so a run whose
/// items fail (and are "applied" fast) cannot pass for one that did the work (also `gateway-bench apply`'s).
func appliedLine(_ app: GatewayApp, label: String) throws -> String {
    try app.store.database.read { c in
        func count(_ sql: String) throws -> Int { try c.queryOne(sql)?.int("n") ?? 0 }
        let failed = try count("SELECT count(*) AS n FROM inbox_items WHERE status = 'failed'")
        return "  \(label) made: \(try count("SELECT count(*) AS n FROM customers")) customers, "
            + "\(try count("SELECT count(*) AS n FROM tickets")) tickets, "
            + "\(try count("SELECT count(*) AS n FROM outbox")) outbox rows; \(failed) items failed"
            + (failed > 0 ? "  <-- NOT the work the benchmark is meant to measure" : "")
    }
}

/// Polls until every acknowledged delivery has been normalized and every item applied (at most 10 minutes). With
/// `probing`, each poll also times one small write of its own through the store's writer — what a bot command or an
/// agent's reply waits while the backlog is applied (it queues behind the passes already submitted).
private func waitUntilApplied(_ app: GatewayApp, probing probes: LatencyRecorder? = nil) throws {
    let deadline = Date().addingTimeInterval(600)
    while Date() < deadline {
        // The oldest unapplied delivery, not the backlog's count (counting a large backlog reads the whole log), and
        // not too often: even this reads every pending item, and a poll every few milliseconds would take a good part
        // of a core from the gateway it measures. 0.1 s is 0.3 % of a run.
        if try app.store.oldestUnappliedReceivedAt() == nil && !app.inboundApplier.isApplying { return }
        if let probes {
            let start = DispatchTime.now().uptimeNanoseconds
            try app.store.database.write { connection in
                try connection.run("""
                    INSERT INTO gateway_meta (key, value) VALUES ('bench_probe', ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """, [.text(String(start))])
            }
            probes.record(seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        usleep(100_000)
    }
    throw BenchmarkTimeout(what: "applying the acknowledged deliveries")
}

struct BenchmarkTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "gave up after 10 minutes of \(what)" }
}

/// A realistic ~1.2 KB Cloud API delivery with a unique message id: the sender's contact and a text message in one
/// entry, a `delivered` status of an earlier message in another (three inbox items, all applied as they are
/// recorded).
enum WhatsAppPayload {
    static let appSecret = "bench-app-secret"

    /// How a delivery's ids are made from its number and its sender's.
    enum IDs {
        /// Counting up: `wamid.…=<n>`, `6012345<sender>`.
        case sequential
        /// Scattered, the same for the same number: message ids of 28 random base64 characters, 12-digit phone
        /// numbers and user ids of 16 digits (a returning sender keeps hers).
        case random
    }

    /// Delivery `n` (its message id), from sender `sender` (default: a new sender per delivery).
    static func make(_ n: Int, sender: Int? = nil, ids: IDs = .sequential) -> [UInt8] {
        let s = sender ?? n
        let messageID: String, statusID: String, phone: String, userID: String
        switch ids {
        case .sequential:
            messageID = "wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=\(n)"
            statusID = "wamid.status\(n)"
            phone = "6012345\(s)"
            userID = "MY.\(1_000_000_000 + s)"
        case .random:
            messageID = "wamid.HBgL" + scattered(n, salt: 1, characters: 28)
            statusID = "wamid.HBgL" + scattered(n, salt: 2, characters: 28)
            phone = "601" + digits(scattered(s, salt: 3), count: 9)
            userID = "MY." + digits(scattered(s, salt: 4), count: 16)
        }
        let text = "Hi, my POS terminal at outlet \(n) shows error E42 after the update. Receipts are not printing and the "
            + "cash drawer does not open. We tried restarting twice. Please help, lunch rush starts soon. Terima kasih!"
        return Array("""
            {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",\
            "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",\
            "phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Merchant \(s)","username":"@merchant\(s)"},\
            "wa_id":"\(phone)","user_id":"\(userID)"}],"messages":[{"from":"\(phone)",\
            "from_user_id":"\(userID)",\
            "id":"\(messageID)","timestamp":"1700000000",\
            "type":"text","text":{"body":"\(text)"}}]}}]},{"id":"102290129340398","changes":[{"field":"messages",\
            "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",\
            "phone_number_id":"106540352242922"},"statuses":[{"id":"\(statusID)","status":"delivered",\
            "timestamp":"1700000001","recipient_id":"\(phone)","conversation":{"id":"conv\(n)",\
            "origin":{"type":"service"}},"pricing":{"billable":true,"pricing_model":"CBP","category":"service"}}]}}]}]}
            """.utf8)
    }

    /// SplitMix64 of `value` and `salt`: the same scattered number for the same input, every run.
    static func scattered(_ value: Int, salt: UInt64) -> UInt64 {
        var z = UInt64(bitPattern: Int64(value)) &+ salt &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The last `count` decimal digits of `value`, zeros in front.
    static func digits(_ value: UInt64, count: Int) -> String {
        let text = String(value)
        return text.count >= count ? String(text.suffix(count)) : String(repeating: "0", count: count - text.count) + text
    }

    /// `characters` base64 characters drawn from `scattered(value, salt:)` and its successors.
    static func scattered(_ value: Int, salt: UInt64, characters: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var bytes = [UInt8]()
        var round: UInt64 = 0
        while bytes.count < characters {
            var bits = scattered(value, salt: salt &+ round &* 0x1_0000)
            for _ in 0..<10 where bytes.count < characters {
                bytes.append(alphabet[Int(bits & 63)])
                bits >>= 6
            }
            round += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
