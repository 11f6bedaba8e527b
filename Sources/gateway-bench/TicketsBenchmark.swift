import Configuration
import Conversations
import Delivery
import Foundation
import GatewayKit
import Ingress
import Storage

/// Inbound WhatsApp messages turned into tickets per second, with identity resolution (target: ≥10,000/s):
/// the gateway's own inbound applier — a ``GatewayApp`` built from the default configuration (not started), so its
/// steps are exactly the ones the app wires, in the app's order — draining pre-normalized `message` items from
/// `inbox_items` through the single writer in repeated ``InboundItemApplier/drainOnce()`` passes (`--batch`, by default
/// the app's `normalizer.batch_size`, items per pass; each item its own writer operation and savepoint, one group
/// commit per pass). Writing the items is not timed.
///
/// Three runs on one store: every message from a new sender (customer + ticket opened), conversations (each sender
/// sends `--per-sender` messages: one opens, the rest attach), and known senders writing to their open tickets.
struct TicketsBenchmark {
    let messages: Int
    let perSender: Int
    let batch: Int
    let synchronous: String
    let multiBSUID: Bool
    /// How many of the three runs to do (1 = new senders only, for profiling).
    let runs: Int
    /// Available agents and sales users (`--agents`, default 0): with some, every ticket opened is assigned by the
    /// queue's policy (`--policy`: round_robin or least_open).
    let agents: Int
    let policy: String

    init(options: BenchOptions) {
        messages = options.int("messages", default: 100_000)
        perSender = max(1, options.int("per-sender", default: 5))
        batch = options.int("batch", default: GatewayConfig().normalizer.batchSize)
        synchronous = options.string("synchronous", default: "full")
        multiBSUID = options.string("multi-bsuid", default: "on") != "off"
        runs = options.int("runs", default: 3)
        agents = options.int("agents", default: 0)
        policy = options.string("policy", default: "round_robin")
    }

    func run() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            var config = GatewayConfig()
            config.server.port = 0
            config.store.path = directory.appendingPathComponent("tickets.sqlite").path
            config.store.synchronous = synchronous
            config.normalizer.batchSize = batch
            config.multiBSUIDEnabled = multiBSUID
            (config.tickets.supportAssignment, config.tickets.salesAssignment) = (policy, policy)
            // Not started: nothing else (normalizer, dispatcher, schedulers) competes for the writer. The clock starts
            // on a fixed day and runs at real speed, as in production: new customers' public ids start with the
            // time, so they are appended to the id index rather than scattered through it.
            let started = Date()
            let app = try GatewayApp(config: config, log: EventLog(minimum: .error),
                                     clock: { 1_767_000_000_000 + Int64(Date().timeIntervalSince(started) * 1000) })
            defer { app.shutdown() }
            guard let store = app.store as? SQLiteGatewayStore else {
                FileHandle.standardError.write(Data("benchmark failed: the gateway's store is not SQLite\n".utf8))
                return 1
            }
            try store.writer.perform { c in
                try c.run("""
                    INSERT INTO inbox (id, public_id, source, dedupe_key, received_at, body, response_status,
                                       response_body)
                    VALUES (1, 'bench', 'whatsapp', 'bench', 0, x'', 200, x'')
                    """)
            }
            try addAgents(writer: store.writer)
            let steps = app.inboundApplier.steps.map { String(describing: type(of: $0)) }.joined(separator: ", ")
            print("gateway-bench tickets: \(messages) messages per run, synchronous=\(synchronous), batch=\(batch), "
                  + "multi-BSUID \(multiBSUID ? "on" : "off"), rules=\(config.tickets.classificationFile ?? "none"), "
                  + "\(agents) available agents and \(agents) sales users (\(policy))\n"
                  + "steps: \(steps)")
            let (messages, perSender) = (self.messages, self.perSender)
            let passes: [(String, @Sendable (Int) -> Int)] = [
                ("new senders (customer + ticket opened)    ", { $0 }),
                ("conversations (\(perSender) messages per sender)      ", { messages + $0 / perSender }),
                ("known senders, open tickets (attach only) ", { $0 % max(1, messages / perSender) }),
            ]
            for (index, (name, sender)) in passes.prefix(runs).enumerated() {
                try enqueue(run: index, sender: sender, writer: store.writer)
                let before = Outcomes(app.metrics)
                let (rate, cpu) = measure(app.inboundApplier)
                let done = Outcomes(app.metrics) - before
                print(String(format: "%@ %9.0f messages/s  (target 10000)  %5.1f µs CPU/message  opened %.0f, "
                             + "attached %.0f, failed %.0f", name, rate, cpu, done.opened, done.attached, done.failed))
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            return 1
        }
    }

    /// `agents` available users of each of the roles agent and sales (not timed).
    private func addAgents(writer: SQLiteWriter) throws {
        try writer.perform { c in
            for n in 0..<agents {
                for role in ["agent", "sales"] {
                    let email = "\(role)\(n)@bench.example"
                    try c.run("""
                        INSERT INTO users (email, password_hash, role, created_at, updated_at) VALUES (?, 'x', ?, 0, 0)
                        """, [.text(email), .text(role)])
                    try c.run("INSERT INTO agent_availability (actor, available, changed_at) VALUES (?, 1, 0)",
                              [.text(email)])
                }
            }
        }
    }

    /// Writes `messages` pending message items, message `i` from sender `sender(i)` (not timed).
    private func enqueue(run: Int, sender: @escaping @Sendable (Int) -> Int, writer: SQLiteWriter) throws {
        let messages = self.messages
        try writer.perform { c in
            let texts = ["Hi, my printer is not working", "Berapa harga pakej POS?", "hello", "Mesin saya rosak",
                         "ok thanks"]
            for i in 0..<messages {
                let n = sender(i)
                let id = "wamid.bench-\(run)-\(i)"
                let event = InboundEvent.message(InboundMessage(
                    id: id, channelID: "106540352242922", accountID: "102290129340398",
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

    /// Messages per second over the pending items and CPU microseconds (user + system, all threads) per message — on
    /// a shared machine the rate swings with the load, the CPU cost much less.
    private func measure(_ applier: InboundItemApplier) -> (rate: Double, cpu: Double) {
        var handled = 0
        let cpuStart = Self.cpuMicroseconds()
        let start = Date()
        while true {
            let count = applier.drainOnce()
            handled += count
            if count < batch { break }
        }
        let elapsed = Date().timeIntervalSince(start)
        let cpu = Double(Self.cpuMicroseconds() - cpuStart) / Double(max(1, handled))
        return (Double(handled) / elapsed, cpu)
    }

    private static func cpuMicroseconds() -> Int64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
            + Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    }
}

/// What the applier's `/metrics` counters say the passes did.
private struct Outcomes {
    var opened: Double
    var attached: Double
    var failed: Double

    init(_ metrics: MetricsRegistry) {
        opened = metrics.counter("gateway_tickets_opened_total", [("kind", "support"), ("queue", "support")])
            + metrics.counter("gateway_tickets_opened_total", [("kind", "lead"), ("queue", "sales")])
        attached = metrics.counter("gateway_ticket_messages_total", [("outcome", "attached")])
        failed = metrics.counter("gateway_identity_items_total", [("outcome", "failed")])
    }

    private init(opened: Double, attached: Double, failed: Double) {
        self.opened = opened
        self.attached = attached
        self.failed = failed
    }

    static func - (lhs: Outcomes, rhs: Outcomes) -> Outcomes {
        Outcomes(opened: lhs.opened - rhs.opened, attached: lhs.attached - rhs.attached,
                 failed: lhs.failed - rhs.failed)
    }
}
