import CRM
import Configuration
import Conversations
import Delivery
import Foundation
import GatewayKit
import Identity
import Ingress
import OmnichannelAdapter
import StandardWebhooksAdapter
import Storage

/// The single writer's ceiling for `deal.created`: the production command service (replay check, deal, contact
/// association, room preview, timeline entry, Omnichannel outbox row, stored answer — one savepoint each, group
/// commit) fed directly, without HTTP, the dispatcher or the timeline worker. What the end-to-end run cannot exceed.
struct DealWriterCeiling {
    let path: String
    let synchronous: String
    let rooms: Int
    var seconds: Double = 2
    /// Commands in flight, like the HTTP run's connections.
    var inFlight = 128

    init(path: String, synchronous: String, rooms: Int, inFlight: Int = 128) {
        self.path = path
        self.synchronous = synchronous
        self.rooms = rooms
        self.inFlight = inFlight
    }

    /// The summary, and the writer's mean commands per transaction (group commit), which sets the commit's share of
    /// each deal and so is needed to compare this line with the gateway's.
    func measure() throws -> (summary: LatencyRecorder.Summary, writesPerTransaction: Double) {
        var config = GatewayConfig().store
        config.path = path
        config.synchronous = synchronous
        let store = try SQLiteGatewayStore(config: config, migrations: GatewaySchema.migrations)
        defer { store.close() }
        try store.writer.perform { connection in
            for index in 0..<DealPayload.contacts { try KnownContacts.add("c-\(index)", now: 0, in: connection) }
        }
        let links = RecordLinks(RecordSettings())
        let service = RecordCommandService(
            database: store.database,
            applier: RecordCommandApplier(links: links,
                                          refreshes: RoomRefreshPublisher(encoder: OmnichannelRefreshEncoder(),
                                                                          links: links),
                                          conversationTickets: ConversationTicketEdits(), ticketObservers: [],
                                          clock: { Int64(Date().timeIntervalSince1970 * 1000) }),
            reporter: CommandReporter(metrics: MetricsRegistry(), log: EventLog(minimum: .error)), links: links,
            onTimelineEntries: {})
        // Parsed up front (the HTTP threads' work); each submission gets its own webhook id.
        let commands = try (0..<1_000).map { n -> RecordCommand in
            let json = try JSONParser.parse(DealPayload.make(n, rooms: rooms))
            return try BotCommandEnvelope.parse(json).get().recordCommand(origin: .chatbot, traceparent: nil)
        }
        let recorder = LatencyRecorder()
        let sequence = Counter()
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        let threadsBefore = ThreadCPU.snapshot()

        @Sendable func submit() {
            let n = sequence.next()
            let sent = DispatchTime.now().uptimeNanoseconds
            let delivery = NewDelivery(publicID: "inb_\(n)", source: .chatbot, dedupeKey: "chatbot:ceiling-\(n)",
                                       receivedAtMillis: Int64(Date().timeIntervalSince1970 * 1000), requestID: nil,
                                       traceparent: nil, body: [], responseStatus: 0, responseBody: [])
            group.enter()
            service.execute(commands[n % commands.count],
                            ledger: WebhookDeliveryLedger(delivery, now: delivery.receivedAtMillis)) { result in
                let now = DispatchTime.now().uptimeNanoseconds
                if case .success = result { recorder.record(seconds: Double(now - sent) / 1e9) } else {
                    recorder.recordFailure()
                }
                if now < deadline { submit() }
                group.leave()
            }
        }
        for _ in 0..<inFlight { submit() }
        group.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var summary = recorder.summary(elapsed: elapsed)
        summary.threadCores = ThreadCPU.snapshot().cores(since: threadsBefore, elapsed: elapsed)
            .filter { $0.name.hasPrefix("sqlite-") }
        let stats = store.writer.stats
        return (summary, Double(stats.operations) / Double(max(1, stats.batches)))
    }
}
