import Access
import Analytics
import Configuration
import Conversations
import CRM
import Delivery
import Foundation
import GatewayKit
import Glibc
import Ingress
import Storage

/// CSV export over HTTP (target: ≥ 200,000 rows/s with flat memory): `--rows` ticket messages (default 1,000,000, on
/// `--rows / 10` tickets across ten franchises; or `--kind tickets`, that many tickets) written straight into the
/// store, then `GET /v1/exports/<kind>.csv` for the month they fall in, read by a plain socket client that de-chunks
/// and counts the records without keeping them. Prints rows/s and the process's resident memory before the export
/// and at its peak during it (the peak counter is reset just before); then the same pages read and written as CSV
/// without HTTP, to show where the time goes. The server, the client and SQLite share the process.
struct ExportBenchmark {
    let rows: Int
    let kind: String

    init(options: BenchOptions) {
        rows = options.int("rows", default: 1_000_000)
        kind = options.string("kind", default: "ticket-messages")
    }

    /// 2026-11-01 00:00 in Kuala Lumpur (the default organisation zone): every seeded row falls in November.
    static let start: Int64 = 1_793_462_400_000
    static let token = "bench-admin-token"

    func run() -> Int32 {
        guard ["ticket-messages", "tickets"].contains(kind) else {
            FileHandle.standardError.write(Data("--kind must be ticket-messages or tickets\n".utf8))
            return 64
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            var config = GatewayConfig()
            config.server.port = 0
            config.store.path = directory.appendingPathComponent("gateway.sqlite").path
            config.adminToken = Self.token
            let app = try GatewayApp(config: config, log: EventLog(minimum: .error))
            try app.start()
            defer { app.shutdown() }
            let tickets = kind == "tickets" ? rows : max(1, rows / 10)
            let seeding = Date()
            try seed(app, tickets: tickets, messages: kind == "tickets" ? 0 : rows)
            print(String(format: "gateway-bench export: %d %@ rows seeded in %.1f s (%d tickets)", rows, kind,
                         Date().timeIntervalSince(seeding), tickets))

            ResidentMemory.resetPeak()
            let before = ResidentMemory.current()
            let sampler = ResidentMemory.Sampler()
            let result = try ExportDownload.run(port: app.port, path: "/v1/exports/\(kind).csv?from=2026-11-01&to=2026-11-30",
                                                token: Self.token)
            let sampledPeak = sampler.stop()
            let peak = max(sampledPeak, ResidentMemory.peak())
            print(String(format: "  over HTTP: %d records (+ header) in %.2f s = %.0f rows/s (target 200000), "
                         + "%.1f MB at %.1f MB/s, complete: %@", result.records - 1, result.seconds,
                         Double(result.records - 1) / result.seconds, Double(result.bytes) / 1e6,
                         Double(result.bytes) / 1e6 / result.seconds, result.complete ? "yes" : "NO"))
            print(String(format: "  resident memory: %.1f MiB before the export, peak %.1f MiB during it (+%.1f MiB)",
                         before, peak, peak - before))
            try measurePages(app)
            return result.complete && result.records - 1 == rows ? 0 : 1
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    /// The export's own work without HTTP: every page read and written as CSV, the bytes thrown away.
    private func measurePages(_ app: GatewayApp) throws {
        let database = app.store.database
        let table = kind == "tickets" ? TicketExport.table(database: database)
            : ConversationExports.tables(database: database)[0]
        let period = ReportPeriod(from: CalendarDate("2026-11-01")!, to: CalendarDate("2026-11-30")!,
                                  timeZone: .named(app.config.analytics.timeZone))
        let request = ExportRequest(period: period, scope: .unrestricted)
        var writer = CSVWriter()
        var cursor: Int64? = 0
        var bytes = 0
        let started = Date()
        while let after = cursor {
            cursor = try table.page(request, after: after, limit: 1_000, into: &writer)
            bytes += writer.takeOutput().count
        }
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "  pages alone (read + CSV, no HTTP): %.2f s = %.0f rows/s, %.1f MB", seconds,
                     Double(rows) / seconds, Double(bytes) / 1e6))
    }

    /// Tickets (ten franchises, a hundred outlets each) and messages, one transaction each, by recursive SQL.
    private func seed(_ app: GatewayApp, tickets: Int, messages: Int) throws {
        let step = Int64(2_400_000_000 / max(tickets, messages, 1))  // spread over the first 27 days
        try app.store.database.write { c in
            try c.run("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO tickets (id, unique_id, name, status, kind, queue, channel, source, origin, fid, oid,
                                     created_at, updated_at)
                SELECT i, 'bench-' || i, 'WhatsApp: Customer ' || i, 'open', 'support', 'support', 'whatsapp',
                       'whatsapp', 'bench', 'F' || (i % 10), 'O' || (i % 1000), ? + i * ?, ? + i * ?
                FROM n
                """, [.integer(Int64(tickets)), .integer(Self.start), .integer(step), .integer(Self.start),
                      .integer(step)])
        }
        guard messages > 0 else { return }
        try app.store.database.write { c in
            try c.run("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO ticket_messages (id, ticket_id, direction, wa_message_id, type, text, sender, sent_at,
                                             created_at)
                SELECT i, 1 + i % ?, CASE WHEN i % 3 = 0 THEN 'out' ELSE 'in' END, 'wamid.bench' || i, 'text',
                       CASE i % 4 WHEN 0 THEN 'Hi, my printer is not working' WHEN 1 THEN 'Berapa harga pakej POS?'
                                  WHEN 2 THEN '=SUM(A1) is what the report says' ELSE 'ok "thanks" 🙏' END,
                       'cus_bench' || (i % ?), ? + i * ?, ? + i * ?
                FROM n
                """, [.integer(Int64(messages)), .integer(Int64(tickets)), .integer(Int64(tickets)),
                      .integer(Self.start), .integer(step), .integer(Self.start), .integer(step)])
        }
    }
}

/// One export read over a socket: the chunked body de-chunked on the fly, records counted (LF), nothing kept.
enum ExportDownload {
    struct Result {
        let records: Int
        let bytes: Int
        let seconds: Double
        /// The final chunk arrived.
        let complete: Bool
    }

    static func run(port: UInt16, path: String, token: String) throws -> Result {
        let fd = try BenchSocket.connect(port: port)
        defer { close(fd) }
        let started = Date()
        try BenchSocket.send(fd, Array("GET \(path) HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer \(token)\r\n\r\n".utf8))
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var reader = ChunkedCounter()
        while !reader.finished {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            reader.consume(buffer[0..<count])
        }
        guard reader.status == 200 else { throw BenchSocketError.badResponse }
        return Result(records: reader.lineFeeds, bytes: reader.payloadBytes, seconds: Date().timeIntervalSince(started),
                      complete: reader.finished)
    }
}

/// Reads a response head and a chunked body incrementally, counting the payload's bytes and line feeds.
struct ChunkedCounter {
    private(set) var status = 0
    private(set) var lineFeeds = 0
    private(set) var payloadBytes = 0
    private(set) var finished = false
    private var head: [UInt8] = []
    private var inBody = false
    private var sizeLine: [UInt8] = []
    /// Payload bytes left in the current chunk, then the 2 of its CRLF.
    private var remaining = 0
    private var trailing = 0

    mutating func consume(_ bytes: ArraySlice<UInt8>) {
        var index = bytes.startIndex
        if !inBody {
            head += bytes
            guard let end = head.firstRange(of: [13, 10, 13, 10]) else { return }
            status = Int(String(decoding: head[9..<12], as: UTF8.self)) ?? 0
            inBody = true
            index = bytes.endIndex - (head.count - end.upperBound)
            head = []
        }
        while index < bytes.endIndex && !finished {
            if remaining > 0 {
                let end = min(bytes.endIndex, index + remaining)
                for byte in bytes[index..<end] where byte == 10 { lineFeeds += 1 }
                payloadBytes += end - index
                remaining -= end - index
                index = end
            } else if trailing > 0 {
                trailing -= 1
                index += 1
            } else if bytes[index] == 10 {
                let size = Int(String(decoding: sizeLine.prefix { $0 != 13 && $0 != 59 }, as: UTF8.self), radix: 16) ?? 0
                sizeLine = []
                index += 1
                if size == 0 { finished = true } else { (remaining, trailing) = (size, 2) }
            } else {
                sizeLine.append(bytes[index])
                index += 1
            }
        }
    }
}

/// The process's resident memory from `/proc/self/status`, in MiB.
enum ResidentMemory {
    static func current() -> Double { field("VmRSS") }
    static func peak() -> Double { field("VmHWM") }

    /// Resets VmHWM to the current resident size (Linux `clear_refs` 5).
    static func resetPeak() {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return }
        _ = write(fd, "5", 1)
        close(fd)
    }

    private static func field(_ name: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kib = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kib / 1024
        }
        return 0
    }

    /// Samples `VmRSS` every 20 ms on its own thread until stopped; the highest seen.
    final class Sampler: @unchecked Sendable {
        private let lock = NSLock()
        private var highest = 0.0
        private var running = true
        private let done = DispatchSemaphore(value: 0)

        init() {
            Thread.detachNewThread { [self] in
                while lock.withLock({ running }) {
                    let now = ResidentMemory.current()
                    lock.withLock { highest = max(highest, now) }
                    usleep(20_000)
                }
                done.signal()
            }
        }

        func stop() -> Double {
            lock.withLock { running = false }
            done.wait()
            return lock.withLock { highest }
        }
    }
}
