import Access
import Campaigns
import Configuration
import Delivery
import Foundation
import GatewayKit
import Ingress
import Segments
import Storage

/// Segment previews and evaluations over a generated organisation: `--contacts` customers (default 50,000), each with
/// a phone, half with a WhatsApp conversation ticket (half of those open), a third with a deal — the views the rules read are computed on
/// every query, so this is what a nightly run and a builder's preview cost. Also the segment list.
struct SegmentsBenchmark {
    let contacts: Int

    init(options: BenchOptions) {
        contacts = options.int("contacts", default: 50_000)
    }

    static let rules: [(String, String)] = [
        ("name contains", #"[{"filters": [{"field": "full_name", "operator": "contains", "value": "77"}]}]"#),
        ("deal size > 5000", #"[{"filters": [{"field": "deals.total_size", "operator": "greater_than", "value": 5000}]}]"#),
        ("any conversation open", #"[{"filters": [{"field": "conversations.status", "operator": "is", "value": "open"}]}]"#),
        ("two groups, four filters", #"""
            [{"logic": "and", "filters": [{"field": "phone_number", "operator": "ends_with", "value": "1"},
                                          {"field": "conversations.total", "operator": "greater_than", "value": 0}]},
             {"logic": "and", "filters": [{"field": "marketing_opt_in_status", "operator": "is_empty"},
                                          {"field": "deals.total", "operator": "equals", "value": 0}]}]
            """#),
    ]

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        print("gateway-bench segments: \(contacts) contacts, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        do {
            var config = GatewayConfig()
            config.server.port = 0
            config.store.path = directory.appendingPathComponent("gateway.sqlite").path
            config.segments.limit = 100
            // Campaign messages are queued, never sent: the Cloud API here is a closed local port.
            config.whatsapp.phoneNumberID = "bench"
            config.whatsapp.apiURL = "http://127.0.0.1:9"
            let app = try GatewayApp(config: config, log: EventLog(minimum: .error))
            defer { app.shutdown() }
            let started = Date()
            try generate(app.store.database)
            print(String(format: "generated in %.1f s", Date().timeIntervalSince(started)))
            let segments = SegmentService(database: app.store.database, settings: config.segments, events: false,
                                          log: EventLog(minimum: .error), metrics: MetricsRegistry())
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            var largest: (members: Int64, segment: Int64) = (-1, 0)
            for (label, groups) in Self.rules {
                guard case .success(let input) = SegmentInput.read(try JSONParser.parse(Array(
                    #"{"name": "\#(label)", "logic": "or", "groups": \#(groups)}"#.utf8))) else { continue }
                var previews: [Double] = []
                var matched: Int64 = 0
                for _ in 0..<3 {
                    let t = Date()
                    matched = try segments.preview(input.rule, now: now).matched
                    previews.append(Date().timeIntervalSince(t) * 1000)
                }
                let id = try app.store.database.write { c in
                    try c.run("INSERT INTO segments (name, rule, created_by, created_at, updated_at) VALUES (?, ?, 'bench', 0, 0)",
                              [.text(label), .text(JSONWriter.string(input.rule.json))])
                    return c.lastInsertRowID
                }
                var evaluations: [Double] = []
                for _ in 0..<2 {
                    let t = Date()
                    segments.evaluate(id, now: now)
                    evaluations.append(Date().timeIntervalSince(t) * 1000)
                }
                print(label.padding(toLength: 26, withPad: " ", startingAt: 0)
                      + String(format: " %8lld matched   preview %8.1f ms (median of 3)   evaluation %8.1f ms first, "
                               + "%8.1f ms again", matched, previews.sorted()[1], evaluations[0], evaluations[1]))
                if matched > largest.members { largest = (matched, id) }
            }
            try audience(of: largest.segment, app: app, segments: segments, now: now)
            var lists: [Double] = []
            for _ in 0..<5 {
                let t = Date()
                _ = try segments.list(search: "size", createdFrom: nil, createdTo: nil, status: nil, after: nil, limit: 20)
                lists.append(Date().timeIntervalSince(t) * 1000)
            }
            print(String(format: "segment list with search      %7.2f ms (median of 5)", lists.sorted()[2]))
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    /// The detail's reachability and a campaign's start (its audience written in one transaction) on the largest
    /// segment.
    private func audience(of segment: Int64, app: GatewayApp, segments: SegmentService, now: Int64) throws {
        app.campaignSending.stop()
        var t = Date()
        let detail = try segments.detail(segment)
        let reach = Date().timeIntervalSince(t) * 1000
        let campaigns = CampaignService(database: app.store.database, sender: app.whatsAppSender, started: {})
        let input = try CampaignInput.read(JSONParser.parse(Array(#"""
            {"name": "Bench", "template": {"name": "segment_promotion"},
             "variables": [{"property": "full_name", "fallback": "there"}, {"text": "20% off."}]}
            """#.utf8)), properties: { _ in true }).get()
        t = Date()
        let started = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var recipients: Int64 = 0
        campaigns.start(segment: segment, input, idempotencyKey: nil, by: .commandLine, now: now) { result in
            if case .success(let outcome) = result { recipients = outcome.campaign.consenting }
            started.signal()
        }
        started.wait()
        print(String(format: "segment reach (%lld with WhatsApp)  %7.1f ms   campaign start, %lld recipients written  %7.1f ms",
                     detail?["whatsapp_reachable"]?.int64Value ?? 0, reach, recipients, Date().timeIntervalSince(t) * 1000))
    }

    /// The organisation: customers with a phone, every second with a conversation ticket, every third with a deal.
    private func generate(_ database: any Database) throws {
        let count = contacts
        for start in stride(from: 0, to: count, by: 10_000) {
            try database.write { c in
                for n in start..<min(start + 10_000, count) {
                    let contact = "cus_bench_\(n)", at = Int64(1_700_000_000_000 + n * 1_000)
                    try c.run("INSERT INTO customers (public_id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                              [.text(contact), .text("Customer \(n)"), .integer(at), .integer(at)])
                    try c.run("INSERT INTO customer_identifiers (customer_id, kind, value, created_at) VALUES (?, 'phone', ?, ?)",
                              [.integer(c.lastInsertRowID), .text("601\(String(format: "%08d", n))"), .integer(at)])
                    if n % 2 == 0 {
                        try c.run("""
                            INSERT INTO tickets (unique_id, name, status, source, origin, created_at, updated_at, contact_id,
                                channel)
                            VALUES (?, 'WhatsApp', ?, 'bench', 'api', ?, ?, ?, 'whatsapp')
                            """, [.text("T-\(n)"), .text(n % 4 == 0 ? "open" : "resolved"), .integer(at), .integer(at),
                                  .text(contact)])
                    }
                    if n % 3 == 0 {
                        try c.run("""
                            INSERT INTO deals (unique_id, name, size, source, origin, created_at, updated_at, contact_id)
                            VALUES (?, 'Deal', ?, 'bench', 'api', ?, ?, ?)
                            """, [.text("D-\(n)"), .real(Double(n % 10_000)), .integer(at), .integer(at), .text(contact)])
                    }
                }
            }
        }
    }
}
