import Access
import Analytics
import Configuration
import Delivery
import Foundation
import GatewayKit
import HTTPClient
import Ingress
import Storage

/// The desk's figures over a year of tickets: `--tickets` (default 1,000,000) conversation tickets spread over 365 days,
/// each with a customer message and an agent reply, 8 categories, 3 queues, 40 agents, 2,000 outlets, most resolved,
/// CSAT surveys on resolved ones (70 % answered). Prints how fast the rollups take them in (the triggers' queue
/// drained from scratch), then each `/v1/analytics/…` query over HTTP (median of 5) for the whole year, the last 30
/// days by day, and grouped by agent and outlet.
struct AnalyticsBenchmark {
    let tickets: Int

    init(options: BenchOptions) {
        tickets = options.int("tickets", default: 1_000_000)
    }

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        print("gateway-bench analytics: \(tickets) tickets, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        do {
            var config = GatewayConfig()
            config.server.port = 0
            config.store.path = directory.appendingPathComponent("gateway.sqlite").path
            config.adminToken = "bench-admin-token"
            config.access.requestsPerAddressPerSecond = 0
            config.access.requestsPerCredentialPerSecond = 0
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let app = try GatewayApp(config: config, log: EventLog(minimum: .error), clock: { now })
            try app.start()
            defer { app.shutdown() }
            var started = Date()
            try generate(app.store.database, now: now)
            print(String(format: "generated in %.1f s (tickets, messages, surveys; the triggers queue every ticket)",
                         Date().timeIntervalSince(started)))

            // The first query drains the queue: the rollups take every ticket in.
            let client = CurlMultiClient()
            started = Date()
            _ = try get(client, app.port, "/v1/analytics/tickets")
            let seconds = Date().timeIntervalSince(started)
            print(String(format: "rollups: %d tickets taken in in %.1f s (%.0f tickets/s)", tickets, seconds,
                         Double(tickets) / seconds))

            let today = CalendarDate(unixMillis: now, in: TimeZone(identifier: config.analytics.timeZone)!)
            let year = "from=\(today.adding(days: -364))&to=\(today)"
            let month = "from=\(today.adding(days: -29))&to=\(today)"
            let queries = [
                "tickets?\(year)", "tickets?\(year)&group_by=month,category", "tickets?\(month)&group_by=day",
                "tickets?\(year)&group_by=keyword", "response-times?\(year)", "response-times?\(year)&group_by=agent",
                "response-times?\(month)&group_by=day", "response-times?\(year)&group_by=week,queue",
                "backlog?\(year)&group_by=day", "csat?\(year)&group_by=agent", "csat?\(year)&group_by=outlet",
                "outlets?\(year)", "renewals?\(year)&group_by=month", "leads?\(year)&group_by=month",
            ]
            for query in queries {
                var times: [Double] = []
                var bytes = 0
                for _ in 0..<5 {
                    let t = Date()
                    bytes = try get(client, app.port, "/v1/analytics/\(query)").count
                    times.append(Date().timeIntervalSince(t) * 1000)
                }
                print(query.replacingOccurrences(of: year, with: "<year>").replacingOccurrences(of: month, with: "<30 days>")
                        .padding(toLength: 46, withPad: " ", startingAt: 0)
                      + String(format: " %8.1f ms (median of 5, %d bytes)", times.sorted()[2], bytes))
            }
            // The baseline: the plan without rollups, one pass over every ticket's facts for a single median.
            var scans: [Double] = []
            for _ in 0..<3 {
                let t = Date()
                _ = try app.store.database.read { c in
                    try c.query("SELECT frt_ms FROM analytics_ticket_facts WHERE frt_ms IS NOT NULL ORDER BY frt_ms")
                        .count
                }
                scans.append(Date().timeIntervalSince(t) * 1000)
            }
            print("baseline: every first response sorted, no rollups".padding(toLength: 46, withPad: " ", startingAt: 0)
                  + String(format: " %8.1f ms (median of 3)", scans.sorted()[1]))
            return 0
        } catch {
            print("analytics benchmark failed: \(error)")
            return 1
        }
    }

    private func get(_ client: CurlMultiClient, _ port: UInt16, _ path: String) throws -> [UInt8] {
        let response = try client.perform(ClientRequest(
            method: "GET", url: "http://127.0.0.1:\(port)\(path)",
            headers: [("Authorization", "Bearer bench-admin-token")], totalTimeout: 600)).get()
        guard response.status == 200 else {
            throw NSError(domain: "bench", code: response.status,
                          userInfo: [NSLocalizedDescriptionKey: String(decoding: response.body, as: UTF8.self)])
        }
        return response.body
    }

    /// Tickets spread evenly over the 365 days before `now`, written 10,000 per transaction.
    private func generate(_ database: any Database, now: Int64) throws {
        let categories = ["billing", "login", "hardware", "printer", "refund", "delivery", "account", "other"]
        let queues = ["support", "support", "sales", "renewals"]
        let span: Int64 = 365 * 86_400_000
        var random = SystemRandomNumberGenerator()
        for first in stride(from: 0, to: tickets, by: 10_000) {
            let batch = (first..<min(first + 10_000, tickets)).map { n -> [SQLValue] in
                let opened = now - span + Int64(n) * span / Int64(tickets)
                let frt = Int64.random(in: 20_000...1_800_000, using: &random)
                let open = opened > now - 3 * 86_400_000 && n % 3 == 0
                let resolved = open ? nil : opened + frt + Int64.random(in: 600_000...172_800_000, using: &random)
                let outlet = n % 2_000
                return [.text("bench-\(n)"), .text(open ? "open" : "resolved"), .integer(opened),
                        .text(queues[n % queues.count] == "sales" ? "lead" : "support"), .text(queues[n % queues.count]),
                        .text(categories[n % categories.count]), .text("agent-\(n % 40)"), .text("F\(outlet % 100)"),
                        .text("O\(outlet)"), .integer(opened + frt), .integer(opened + 300_000), SQLValue(resolved),
                        .integer(opened + 8 * 3_600_000)]
            }
            try database.write { c in
                for row in batch {
                    let id = try c.queryOne("""
                        INSERT INTO tickets (unique_id, name, status, source, origin, created_at, updated_at, channel,
                            kind, queue, category, assignee, fid, oid, first_response_at, first_response_due_at,
                            resolved_at, resolution_due_at, conversation_key)
                        VALUES (?1, 'bench', ?2, 'whatsapp', 'whatsapp', ?3, ?3, 'whatsapp', ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                            ?11, ?12, ?13, ?1)
                        RETURNING id
                        """, row)!.int64("id")!
                    try AnalyticsMarks.mark(ticket: id, in: c)
                    try c.run("""
                        INSERT INTO ticket_messages (ticket_id, direction, wa_message_id, type, text, created_at)
                        VALUES (?1, 'in', ?2, 'text', 'my printer is broken', ?3),
                               (?1, 'out', NULL, 'text', 'A technician will call you.', ?4)
                        """, [.integer(id), .text("wamid.\(id)"), row[2], row[9]])
                    if case .integer(let resolvedAt) = row[11] {
                        let survey = try c.queryOne("""
                            INSERT INTO csat_surveys (ticket_id, resolution, ticket_ref, conversation_key, assignee,
                                outbound_message_id, ticket_message_id, sent_at, expires_at)
                            VALUES (?, 1, ?, 'k', ?, 0, 0, ?, ?) RETURNING id
                            """, [.integer(id), .text("T-\(id)"), row[6], .integer(resolvedAt),
                                  .integer(resolvedAt + 86_400_000)])!.int64("id")!
                        if id % 10 < 7 {
                            try c.run("""
                                INSERT INTO csat_response (survey_id, ticket_id, rating, source, wa_message_id,
                                    responded_at)
                                VALUES (?, ?, ?, 'button', ?, ?)
                                """, [.integer(survey), .integer(id), .integer(id % 5 + 1), .text("wamid.r\(id)"),
                                      .integer(resolvedAt + 60_000)])
                        }
                    }
                }
            }
        }
    }
}
