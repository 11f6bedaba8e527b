import CRM
import Configuration
import Delivery
import Foundation
import GatewayKit
import GatewayTesting
import HTTPClient
import HTTPServer
import Identity
import Ingress
import Storage

/// Signed `deal.created` webhooks end to end through the real gateway: verified, applied (deal, room preview,
/// timeline entry, Omnichannel outbox row and the inbox answer in one transaction) and answered `201`, while the
/// dispatcher delivers the events to a local Omnichannel stub and the timeline worker fetches previews from a local
/// Chat Panel stub — the background work competes for the same cores and the same writer, as in production.
struct DealsBenchmark {
    let connections: Int
    let seconds: Double
    let synchronous: String
    let rooms: Int
    /// Without a Chat Panel URL the worker settles entries without fetching (isolates the fetch cost).
    let chatPanel: Bool
    /// `deferred`: the dispatcher and the timeline worker do not run during the load (the request path alone); a
    /// second gateway on the same database drains what piled up, and the drain is reported.
    let deferBackground: Bool
    /// `sockets` (default): load generator and stubs on plain keep-alive sockets, a few µs of CPU per request;
    /// `libcurl`: the libcurl load generator the other benchmarks use and libmicrohttpd stubs, which together cost
    /// about a quarter of the machine's CPU at this rate (they run on the cores the gateway is measured on).
    let socketHarness: Bool
    /// Also run on PostgreSQL, with one and with two instances (`--postgres yes` or `--database-url`).
    let postgres: BenchPostgres?

    init(options: BenchOptions) {
        postgres = try? BenchPostgres(options: options)
        connections = options.int("connections", default: 64)
        seconds = options.double("seconds", default: 5)
        synchronous = options.string("synchronous", default: "full")
        rooms = max(1, options.int("rooms", default: 1_000))
        chatPanel = options.string("chat-panel", default: "on") != "off"
        deferBackground = options.string("background", default: "on") == "deferred"
        socketHarness = options.string("harness", default: "sockets") != "libcurl"
    }

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        print("gateway-bench deals: \(connections) connections, \(seconds) s, synchronous=\(synchronous), \(rooms) rooms, "
              + "chat panel \(chatPanel ? "on" : "off"), background \(deferBackground ? "deferred" : "on"), "
              + "\(socketHarness ? "socket" : "libcurl/libmicrohttpd") harness, "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores, "
              + "payload \(DealPayload.make(0, rooms: rooms).count) bytes")
        do {
            let (ceiling, ceilingBatch) = try DealWriterCeiling(
                path: directory.appendingPathComponent("ceiling.sqlite").path, synchronous: synchronous, rooms: rooms
            ).measure()
            print(ceiling.line("deal writer alone (no HTTP)", unit: "deals/s"))
            if let threads = ceiling.threadLine { print(threads) }
            print(String(format: "  writer alone: %.1f writes per transaction (group commit)", ceilingBatch))
            // The same writer with the HTTP run's connections as its commands in flight, which gives about the
            // gateway's batches: each transaction's own cost (begin, writing its pages to the log, commit) is then
            // shared by fewer deals, which is most of what the gateway's writer spends per deal beyond the line above.
            let (smallBatches, smallBatch) = try DealWriterCeiling(
                path: directory.appendingPathComponent("ceiling-small.sqlite").path, synchronous: synchronous,
                rooms: rooms, inFlight: connections
            ).measure()
            print(smallBatches.line("deal writer alone, \(connections) in flight", unit: "deals/s"))
            if let threads = smallBatches.threadLine { print(threads) }
            print(String(format: "  writer alone, %d in flight: %.1f writes per transaction", connections, smallBatch))
            let chatHistory = #"{"messages":[{"sender":"Customer","text":"I need 3 POS terminals"}]}"#
            let omnichannel: any BenchStub = socketHarness ? try SocketStubServer(body: "{}")
                : try StubService(body: "{}")
            let chat: any BenchStub = socketHarness ? try SocketStubServer(body: chatHistory)
                : try StubService(body: chatHistory)
            defer {
                omnichannel.stop()
                chat.stop()
            }
            var config = GatewayConfig()
            config.server.port = 0
            config.server.connectionLimit = max(1024, connections * 2)
            // Every load connection comes from 127.0.0.1: no per-address limit.
            config.server.perIPConnectionLimit = 0
            config.store.path = directory.appendingPathComponent("gateway.sqlite").path
            config.store.synchronous = synchronous
            config.botWebhooks.secrets = [DealPayload.secret.encoded]
            config.outbound[url: .omnichannel] = omnichannel.url
            config.outbound[url: .chatPanel] = chatPanel ? chat.url : nil
            var app = try GatewayApp(config: config, log: EventLog(minimum: .error))
            try app.start()
            defer { app.shutdown() }
            if deferBackground {
                app.dispatcher.stop(drainTimeout: 0)
                app.timelineWorker.stop()
            }
            var store = try app.store as? SQLiteGatewayStore ?? { throw BenchError.notSQLite }()
            // The payload's contacts exist, so every create takes the association path.
            try store.writer.perform { connection in
                for index in 0..<DealPayload.contacts { try KnownContacts.add("c-\(index)", now: 0, in: connection) }
            }

            let summary = try load(port: app.port)
            print(summary.line("gateway deal.created end to end"))
            if let threads = summary.threadLine { print(threads) }
            let stats = store.writer.stats
            print(String(format: "  writer: %d transactions, %.1f writes per transaction (group commit)",
                         stats.batches, Double(stats.operations) / Double(max(1, stats.batches))))
            if deferBackground {
                // The same database under a fresh gateway whose workers start with the whole backlog.
                app.shutdown()
                app = try GatewayApp(config: config, log: EventLog(minimum: .error))
                try app.start()
                store = try app.store as? SQLiteGatewayStore ?? { throw BenchError.notSQLite }()
            }
            try report(store: store, omnichannel: omnichannel, chat: chat)
            if let postgres {
                app.shutdown()
                defer { postgres.stop() }
                try postgresRuns(postgres, config: config)
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    /// The same load on PostgreSQL: one instance, then two sharing the database (round robin, libcurl load generator
    /// for both, so they compare with each other rather than with the socket harness above).
    private func postgresRuns(_ postgres: BenchPostgres, config sqliteConfig: GatewayConfig) throws {
        var rates: [Double] = []
        for instances in [1, 2] {
            var config = sqliteConfig
            BenchPostgres.configure(&config, url: try postgres.database("deals\(instances)"), instances: instances)
            let apps = try BenchPostgres.instances(instances, config: config)
            defer { apps.forEach { $0.shutdown() } }
            try apps[0].store.database.write { connection in
                for index in 0..<DealPayload.contacts { try KnownContacts.add("c-\(index)", now: 0, in: connection) }
            }
            let ports = apps.map(\.port)
            let rooms = self.rooms
            var generator = LoadGenerator(connections: connections, seconds: seconds) { n in
                let body = DealPayload.make(n, rooms: rooms)
                let headers = SignedWebhook.standard(body, id: "bench-\(n)", timestamp: Int64(Date().timeIntervalSince1970),
                                                     secret: DealPayload.secret)
                return ClientRequest(method: "POST", url: "http://127.0.0.1:\(ports[abs(n) % ports.count])/webhooks/chatbot",
                                     headers: headers, body: body)
            }
            generator.expectedStatus = 201
            let summary = generator.run()
            print(summary.line("postgres \(instances) instance\(instances == 1 ? "" : "s"): deal.created"))
            rates.append(summary.perSecond)
        }
        print(String(format: "postgres: two instances / one = %.2fx deal.created", rates[1] / max(1, rates[0])))
    }

    /// Runs the signed `deal.created` load against the gateway on `port`.
    private func load(port: UInt16) throws -> LatencyRecorder.Summary {
        let rooms = self.rooms
        let path = "/webhooks/chatbot"
        @Sendable func request(_ n: Int) -> SocketLoadGenerator.Request {
            let body = DealPayload.make(n, rooms: rooms)
            let id = "bench-\(n)"
            let headers = SignedWebhook.standard(body, id: id, timestamp: Int64(Date().timeIntervalSince1970),
                                                 secret: DealPayload.secret)
            return SocketLoadGenerator.Request(path: path, headers: headers, body: body)
        }
        guard !socketHarness else {
            var generator = SocketLoadGenerator(port: port, connections: connections, seconds: seconds,
                                                makeRequest: request)
            generator.expectedStatus = 201
            return try generator.run()
        }
        var generator = LoadGenerator(connections: connections, seconds: seconds) { n in
            let made = request(n)
            return ClientRequest(method: made.method, url: "http://127.0.0.1:\(port)\(made.path)",
                                 headers: made.headers, body: made.body)
        }
        generator.expectedStatus = 201
        return generator.run()
    }

    /// What the background side had done when the load stopped, and how long it needed to catch up.
    private func report(store: SQLiteGatewayStore, omnichannel: any BenchStub, chat: any BenchStub) throws {
        func counts() throws -> (deals: Int, outboxLive: Int, pendingPreviews: Int) {
            try store.read { connection in
                let deals = try connection.queryOne("SELECT count(*) AS n FROM deals")?.int("n") ?? 0
                let live = try connection.queryOne(
                    "SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'in_flight')")?.int("n") ?? 0
                let pending = try connection.queryOne(
                    "SELECT count(*) AS n FROM timeline_entries WHERE preview_status = 'pending'")?.int("n") ?? 0
                return (deals, live, pending)
            }
        }
        let atStop = try counts()
        print("  at \(deferBackground ? "background start" : "load stop"): \(atStop.deals) deals, "
              + "\(omnichannel.requests) Omnichannel events delivered (\(atStop.outboxLive) waiting), "
              + "\(chat.requests) Chat Panel fetches (\(atStop.pendingPreviews) pending)")
        let started = Date()
        var now = atStop
        while (now.outboxLive > 0 || now.pendingPreviews > 0) && Date().timeIntervalSince(started) < 120 {
            Thread.sleep(forTimeInterval: 0.1)
            now = try counts()
        }
        print(String(format: "  background caught up %.1f s after the load stopped (%d outbox rows, %d previews left)"
                     + (deferBackground ? String(format: ", %.0f events/s", Double(atStop.outboxLive)
                                                 / max(0.001, Date().timeIntervalSince(started))) : ""),
                     Date().timeIntervalSince(started), now.outboxLive, now.pendingPreviews))
    }
}

private enum BenchError: Error {
    case notSQLite
}

/// A bot's `deal.created` with the extended payload; rooms repeat so latest-wins replaces previews.
enum DealPayload {
    static let secret = WebhookSecret(key: Array("bench-deals-secret-0123456789abc".utf8))
    static let contacts = 1_000

    static func make(_ n: Int, rooms: Int) -> [UInt8] {
        Array("""
            {"type":"deal.created","data":{"name":"POS upgrade for outlet \(n)","pipeline":"Retail","stage":"Qualified",\
            "size":\(1_000 + n % 5_000),"owner":"u-\(n % 50)","priority":"high","room_id":"room-\(abs(n) % rooms)",\
            "contact_id":"c-\(abs(n) % contacts)","creator_flag":"bot","source":"whatsapp"}}
            """.utf8)
    }
}

/// A local stand-in for Omnichannel or the Chat Panel: answers 200 with a fixed body at once and counts requests.
protocol BenchStub: Sendable {
    var url: String { get }
    var requests: Int { get }
    func stop()
}

extension SocketStubServer: BenchStub {}

/// ``BenchStub`` on libmicrohttpd.
private final class StubService: HTTPHandler, BenchStub, @unchecked Sendable {
    private let body: [UInt8]
    private let lock = NSLock()
    private var count = 0
    private var server: HTTPServer?

    init(body: String) throws {
        self.body = Array(body.utf8)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threadPoolSize = 1
        configuration.connectionLimit = 4096
        let server = HTTPServer(configuration: configuration, handler: self)
        try server.start()
        self.server = server
    }

    var url: String { "http://127.0.0.1:\(server?.port ?? 0)" }

    var requests: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func stop() {
        server?.stop(drainTimeout: 1)
        server = nil
    }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        lock.lock()
        count += 1
        lock.unlock()
        respond(HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: body))
    }

    func bodyTooLarge(_ request: HTTPRequest, limit: Int) -> HTTPResponse { HTTPResponse(status: 413) }
}
