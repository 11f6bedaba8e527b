import Configuration
import Delivery
import Foundation
import GatewayKit
import Ingress
import Storage

extension OutboundBenchmark {
    /// The backlog drain on PostgreSQL: `count` outbox rows committed first, then `instances` dispatchers — each on
    /// a store of its own, as separate gateway instances would be — claim from the one table (`FOR UPDATE SKIP
    /// LOCKED`) and deliver to the sink; their combined deliveries/s.
    func postgresDrain(_ postgres: BenchPostgres, instances: Int, sink: DeliverySink,
                       count: Int) throws -> LatencyRecorder.Summary {
        var config = GatewayConfig()
        BenchPostgres.configure(&config, url: try postgres.database("outbound\(instances)"), instances: instances)
        let stores = try (0..<instances).map { _ in
            try PostgresGatewayStore(config: config.store, migrations: GatewaySchema.migrations)
        }
        defer { stores.forEach { $0.close() } }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for start in stride(from: 0, to: count, by: 500) {
            try stores[0].database.write { connection in
                for n in start..<min(count, start + 500) {
                    try Outbox.enqueue(OutboundMessage(endpoint: "bench", path: "/events", body: Self.body,
                                                       idempotencyKey: "bench.\(n)"), in: connection, now: now)
                }
            }
        }
        sink.reset(events: count)
        (0..<count).forEach(sink.committed)
        var settings = OutboundSettings()
        settings.claimBatchSize = max(settings.claimBatchSize, concurrency * 4)
        let endpoint = OutboundEndpoint(name: "bench", url: sink.url,
                                        signingSecret: WebhookSecret(key: Array("bench-outbound-secret-0123456789".utf8)),
                                        maxConcurrency: concurrency)
        let dispatchers = try stores.map { store in
            try OutboxDispatcher(database: store.database, endpoints: [endpoint], settings: settings,
                                 metrics: MetricsRegistry(), log: EventLog(minimum: .error))
        }
        defer { dispatchers.forEach { $0.stop() } }
        let started = DispatchTime.now().uptimeNanoseconds
        dispatchers.forEach { $0.start() }
        guard sink.waitForAll(timeout: 300) else {
            throw BenchmarkError(description: "only \(sink.delivered) of \(count) events arrived within 300 s")
        }
        return sink.summary(from: started)
    }
}
