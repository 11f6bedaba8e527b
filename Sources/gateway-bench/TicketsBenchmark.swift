import Foundation
import GatewayCore
import Storage

/// Inbound WhatsApp messages turned into tickets per second, with identity resolution (issue 6's target: ≥10,000/s):
/// the production applier (``InboundItemApplier/applyPending(limit:steps:now:in:)`` with the identity, CSAT-answer
/// and ticket steps, each item in its own savepoint) over pre-normalized `message` items in `inbox_items`, `--batch` items per
/// transaction (what a full single-writer batch does). Writing the items is not timed.
///
/// Three runs on one store: every message from a new sender (customer + ticket opened), conversations (each sender
/// sends `--per-sender` messages: one opens, the rest attach), and known senders writing to their open tickets.
struct TicketsBenchmark {
    let messages: Int
    let perSender: Int
    let batch: Int
    let synchronous: String

    init(options: BenchOptions) {
        messages = options.int("messages", default: 100_000)
        perSender = max(1, options.int("per-sender", default: 5))
        batch = options.int("batch", default: 512)
        synchronous = options.string("synchronous", default: "full")
    }

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let c = try SQLiteConnection(path: directory.appendingPathComponent("tickets.sqlite").path,
                                         synchronous: SynchronousLevel(rawValue: synchronous) ?? .full)
            defer { c.close() }
            _ = try Migrator.migrate(c, migrations: Schema.migrations)
            try c.execute("PRAGMA cache_size = -65536")  // the gateway writer's 64 MiB
            try c.run("""
                INSERT INTO inbox (id, public_id, source, dedupe_key, received_at, body, response_status, response_body)
                VALUES (1, 'bench', 'whatsapp', 'bench', 0, x'', 200, x'')
                """)
            let rules = URL(fileURLWithPath: "Config/ticket-classification.json").path
            let classifier = (try? TicketClassifier.load(path: rules, key: "rules")) ?? .supportOnly
            let workflow = TicketWorkflow(sla: TicketSLA(settings: TicketSettings()))
            let steps: [any InboundItemStep] = [
                IdentityStep(mode: .multiBSUID),
                CSATReplyStep(settings: CSATSettings(), log: EventLog(minimum: .error)),
                TicketConversationStep(workflow: workflow, classifier: classifier, reopenWindowMilliseconds: 7 * 86_400_000),
            ]
            print("gateway-bench tickets: \(messages) messages per run, synchronous=\(synchronous), batch=\(batch), "
                  + "rules=\(classifier.classify("berapa harga").kind == "lead" ? rules : "none (run from the repository root)")")
            let runs: [(String, (Int) -> Int)] = [
                ("new senders (customer + ticket opened)    ", { $0 }),
                ("conversations (\(perSender) messages per sender)      ", { messages + $0 / perSender }),
                ("known senders, open tickets (attach only) ", { $0 % max(1, messages / perSender) }),
            ]
            for (index, (name, sender)) in runs.enumerated() {
                try enqueue(run: index, sender: sender, in: c)
                let (rate, cpu, pass) = try measure(steps, c)
                print(String(format: "%@ %9.0f messages/s  (target 10000)  %5.1f µs CPU/message  opened %.0f, attached %.0f, failed %d",
                             name, rate, cpu, pass.counts.value("gateway_tickets_opened_total",
                                                           [("kind", "support"), ("queue", "support")])
                                + pass.counts.value("gateway_tickets_opened_total", [("kind", "lead"), ("queue", "sales")]),
                             pass.counts.value("gateway_ticket_messages_total", [("outcome", "attached")]), pass.failed))
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    /// Writes `messages` pending message items, message `i` from sender `sender(i)` (not timed).
    private func enqueue(run: Int, sender: (Int) -> Int, in c: SQLiteConnection) throws {
        let texts = ["Hi, my printer is not working", "Berapa harga pakej POS?", "hello", "Mesin saya rosak",
                     "ok thanks"]
        try c.transaction {
            for i in 0..<messages {
                let n = sender(i)
                let id = "wamid.bench-\(run)-\(i)"
                let event = InboundEvent.message(InboundMessage(
                    id: id, phoneNumberID: "106540352242922", wabaID: "102290129340398",
                    senderPhone: "1\(3_000_000_000 + n)", senderUserID: "US.\(1_000_000_000 + n)",
                    profileName: "Customer \(n)", timestamp: 1_767_000_000 + Int64(i), type: .text,
                    text: texts[i % texts.count]))
                try c.run("""
                    INSERT INTO inbox_items (inbox_id, kind, dedupe_key, occurred_at, payload, status, created_at)
                    VALUES (1, 'message', ?, ?, ?, 'pending', 0)
                    """, [.text("m:\(id)"), .integer(1_767_000_000), .text(JSONWriter.string(event.toJSON()))])
            }
        }
    }

    /// Messages per second over the pending items, CPU microseconds (user + system) per message — on a shared machine
    /// the rate swings with the load, the CPU cost much less — and what the passes did.
    private func measure(_ steps: [any InboundItemStep],
                         _ c: SQLiteConnection) throws -> (rate: Double, cpu: Double, pass: InboundPass) {
        var total = InboundPass()
        let cpuStart = Self.cpuMicroseconds()
        let start = Date()
        while true {
            let pass = try c.transaction {
                try InboundItemApplier.applyPending(limit: batch, steps: steps, now: 1_767_000_000_000, in: c)
            }
            total.add(pass)
            if pass.handled < batch { break }
        }
        let elapsed = Date().timeIntervalSince(start)
        let cpu = Double(Self.cpuMicroseconds() - cpuStart) / Double(max(1, total.handled))
        return (Double(total.handled) / elapsed, cpu, total)
    }

    private static func cpuMicroseconds() -> Int64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
            + Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    }
}
