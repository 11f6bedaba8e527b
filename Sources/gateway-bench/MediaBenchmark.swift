import Configuration
import Conversations
import Crypto
import Delivery
import Foundation
import GatewayKit
import HTTPClient
import HTTPServer
import Ingress
import Messaging
import Storage
import WhatsAppAdapter

/// Inbound media downloads/s: N queued downloads of distinct files of --kib KiB each, worked by the gateway's own
/// downloader (metadata request, file request, SHA-256 check, temporary file flushed to disk, rename, `stored` row)
/// against a local libmicrohttpd stand-in for the Cloud API, at each --concurrency; compared in the same run with
/// plain libcurl GETs of the same files at the same concurrency (no checks, nothing written).
struct MediaBenchmark {
    let files: Int
    let kib: Int
    let concurrencies: [Int]
    let synchronous: String

    init(options: BenchOptions) {
        files = options.int("files", default: 1_000)
        kib = options.int("kib", default: 100)
        concurrencies = options.string("concurrency", default: "1,2,4,8").split(separator: ",").compactMap { Int($0) }
        synchronous = options.string("synchronous", default: "full")
    }

    func run() -> Int32 {
        do {
            let cloud = try MediaCloudStand(files: files, bytes: kib * 1_024)
            defer { cloud.stop() }
            print("gateway-bench media: \(files) files of \(kib) KiB, synchronous=\(synchronous)")
            for concurrency in concurrencies {
                try measureDownloader(cloud, concurrency: concurrency)
                measureRawGets(cloud, concurrency: concurrency)
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    private func measureDownloader(_ cloud: MediaCloudStand, concurrency: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = GatewayConfig()
        config.store.path = directory.appendingPathComponent("media.sqlite").path
        config.store.synchronous = synchronous
        config.media.concurrency = concurrency
        config.media.maxBytes = max(kib * 1_024, 1_024)
        let store = try SQLiteGatewayStore(config: config.store, migrations: GatewaySchema.migrations)
        defer { store.close() }
        let count = files
        try store.database.write { c in
            for n in 0..<count {
                try TicketMediaTable.enqueue(ticketMessageID: Int64(n + 1), ticketID: 1, mediaID: "m\(n)", kind: .image,
                                             now: 0, in: c)
            }
        }
        let source = CloudAPIMediaClient(apiURL: cloud.url + "/v21.0", accessToken: "bench-token",
                                         timeoutMilliseconds: 30_000, maxBytes: config.media.maxBytes)
        let downloader = MediaDownloader(database: store.database, source: source, files: MediaFileStore(config),
                                         settings: config.media, metrics: MetricsRegistry(),
                                         log: EventLog(minimum: .error), clock: { 1 })
        try downloader.start()
        downloader.stop()
        let start = Date()
        while downloader.runOnce() > 0 {}
        let seconds = Date().timeIntervalSince(start)
        let stored = try store.database.read { try TicketMediaTable.count(status: "stored", in: $0) }
        report("downloader, concurrency \(concurrency)", seconds, detail: "\(stored) stored")
    }

    private func measureRawGets(_ cloud: MediaCloudStand, concurrency: Int) {
        let client = CurlMultiClient(maxConnectionsPerHost: concurrency, maxResponseBytes: kib * 1_024 + 1)
        defer { client.shutdown() }
        let next = Counter()
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: concurrency) { _ in
            while case let n = next.next() - 1, n < files {
                _ = client.perform(ClientRequest(url: cloud.url + "/files/m\(n)"))
            }
        }
        report("raw libcurl GET, concurrency \(concurrency)", Date().timeIntervalSince(start), detail: "baseline")
    }

    private func report(_ label: String, _ seconds: Double, detail: String) {
        let megabytes = Double(files * kib) / 1_024
        print(label.padding(toLength: 36, withPad: " ", startingAt: 0)
              + String(format: "%6.2f s  %8.0f files/s  %7.1f MiB/s  ", seconds, Double(files) / seconds,
                       megabytes / seconds) + detail)
    }
}

/// The Cloud API's media endpoints for the benchmark: `GET /v21.0/m<n>` → metadata (with the file's SHA-256), and
/// `GET /files/m<n>` → file n, distinct bytes per file (its number, then a fixed pattern).
private final class MediaCloudStand: HTTPHandler, @unchecked Sendable {
    private let pattern: [UInt8]
    private let digests: [String]
    private var server: HTTPServer?
    private(set) var url = ""

    init(files: Int, bytes: Int) throws {
        let pattern = (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        self.pattern = pattern
        digests = (0..<files).map { SHA256Digest.hexHash(Self.file($0, pattern: pattern)) }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threadPoolSize = 2
        let server = HTTPServer(configuration: configuration, handler: self)
        try server.start()
        self.server = server
        url = "http://127.0.0.1:\(server.port)"
    }

    func stop() {
        server?.stop(drainTimeout: 1)
        server = nil
    }

    private static func file(_ n: Int, pattern: [UInt8]) -> [UInt8] {
        var bytes = pattern
        for (index, byte) in String(format: "%016d", n).utf8.enumerated() where index < bytes.count { bytes[index] = byte }
        return bytes
    }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let name = request.path.split(separator: "/").last.map(String.init) ?? ""
        guard name.hasPrefix("m"), let n = Int(name.dropFirst()), n >= 0, n < digests.count else {
            return respond(HTTPResponse(status: 404))
        }
        if request.path.hasPrefix("/files/") {
            return respond(HTTPResponse(status: 200, headers: [("Content-Type", "image/jpeg")],
                                        body: Self.file(n, pattern: pattern)))
        }
        let metadata: JSONValue = ["url": .string(url + "/files/" + name), "mime_type": "image/jpeg",
                                   "sha256": .string(digests[n]), "file_size": .integer(Int64(pattern.count)),
                                   "id": .string(name), "messaging_product": "whatsapp"]
        respond(HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: JSONWriter.bytes(metadata)))
    }
}
