import Configuration
import Delivery
import Foundation
import GatewayKit
import HTTPTesting
import Ingress
import Storage

/// An outbox dispatcher on a temporary store, delivering to endpoints the test names (usually a ``StubSink``), with
/// a clock the test moves and retry delays pinned to the top of each jitter range so times are predictable.
package final class OutboundHarness: @unchecked Sendable {
    package static let secret = WebhookSecret(key: Array("outbound-test-secret-0123456789ab".utf8))

    package let directory: URL
    package let store: SQLiteGatewayStore
    package let metrics = MetricsRegistry()
    package let clock: ManualClock
    package let settings: OutboundSettings
    package private(set) var dispatcher: OutboxDispatcher
    private let endpoints: [OutboundEndpoint]
    private let observers: [EndpointName: any OutboundDeliveryObserver]

    /// - Parameters:
    ///   - observers: by endpoint, told every outcome (see ``OutboundDeliveryObserver``).
    ///   - configure: adjust the settings (schedule, breaker, lease, ...) before the dispatcher starts.
    package init(endpoints: [OutboundEndpoint], clock: ManualClock = ManualClock(),
         observers: [EndpointName: any OutboundDeliveryObserver] = [:],
         configure: (inout OutboundSettings) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-outbound-\(UUID().uuidString)")
        var storeConfig = GatewayConfig().store
        storeConfig.path = directory.appendingPathComponent("gateway.sqlite").path
        storeConfig.synchronous = "normal"
        store = try SQLiteGatewayStore(config: storeConfig, migrations: GatewaySchema.migrations)
        var settings = OutboundSettings()
        settings.retryScheduleMilliseconds = [1_000, 5_000]
        settings.pollIntervalMilliseconds = 50
        configure(&settings)
        self.settings = settings
        self.clock = clock
        self.endpoints = endpoints
        self.observers = observers
        dispatcher = try Self.makeDispatcher(store: store, endpoints: endpoints, settings: settings,
                                             observers: observers, metrics: metrics, clock: clock)
        dispatcher.start()
    }

    deinit {
        dispatcher.stop(drainTimeout: 0)
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func makeDispatcher(store: SQLiteGatewayStore, endpoints: [OutboundEndpoint],
                                       settings: OutboundSettings, observers: [EndpointName: any OutboundDeliveryObserver],
                                       metrics: MetricsRegistry, clock: ManualClock) throws -> OutboxDispatcher {
        let policy = RetryPolicy(scheduleMilliseconds: settings.retryScheduleMilliseconds,
                                 maxAttempts: settings.maxAttempts,
                                 maxRetryAfterMilliseconds: settings.maxRetryAfterMilliseconds,
                                 random: { $0.upperBound })
        return try OutboxDispatcher(database: store.database, endpoints: endpoints,
                                    settings: settings, policy: policy, observers: observers, metrics: metrics,
                                    log: EventLog(minimum: .error), clock: { clock.now })
    }

    /// Stops the dispatcher (as a graceful shutdown would) and starts a fresh one on the same store.
    package func restartDispatcher() throws {
        dispatcher.stop()
        dispatcher = try Self.makeDispatcher(store: store, endpoints: endpoints, settings: settings,
                                             observers: observers, metrics: metrics, clock: clock)
        dispatcher.start()
    }

    /// An endpoint for `url` signed with ``secret`` and short timeouts.
    package static func endpoint(_ name: EndpointName = "sink", url: String?, totalTimeoutMilliseconds: Int = 2_000,
                         maxConcurrency: Int = 16, ratePerSecond: Int = 0) -> OutboundEndpoint {
        OutboundEndpoint(name: name, url: url, signingSecret: secret, connectTimeoutMilliseconds: 1_000,
                         totalTimeoutMilliseconds: totalTimeoutMilliseconds, maxConcurrency: maxConcurrency,
                         ratePerSecond: ratePerSecond)
    }

    @discardableResult
    package func enqueue(_ message: OutboundMessage) throws -> OutboxEnqueueOutcome {
        let now = clock.now
        return try store.writer.perform { connection in try Outbox.enqueue(message, in: connection, now: now) }
    }

    /// A JSON event for endpoint `endpoint` keyed `key`.
    @discardableResult
    package func enqueue(_ key: String, endpoint: EndpointName = "sink", orderingKey: String? = nil,
                 traceparent: String? = nil) throws -> OutboxEnqueueOutcome {
        try enqueue(Self.event(key, endpoint: endpoint, orderingKey: orderingKey, traceparent: traceparent))
    }

    /// Several events in one transaction, so a single claim sees them all.
    package func enqueue(all keys: [String], endpoint: EndpointName = "sink") throws {
        let now = clock.now
        try store.writer.perform { connection in
            for key in keys { try Outbox.enqueue(Self.event(key, endpoint: endpoint), in: connection, now: now) }
        }
    }

    package static func event(_ key: String, endpoint: EndpointName = "sink", orderingKey: String? = nil,
                      traceparent: String? = nil) -> OutboundMessage {
        OutboundMessage(endpoint: endpoint, path: "/events", body: Array(#"{"event":"\#(key)"}"#.utf8),
                        idempotencyKey: key, orderingKey: orderingKey, traceparent: traceparent)
    }

    package func advance(seconds: Double) {
        clock.advance(milliseconds: Int64(seconds * 1000))
        dispatcher.wake()
    }

    package func rows(_ sql: String, _ params: [SQLValue] = []) throws -> [[String: String]] {
        try DatabaseInspector.rows(path: store.path, sql: sql, params)
    }

    package func outboxRow(_ key: String) throws -> [String: String]? {
        try rows("SELECT * FROM outbox WHERE idempotency_key = ?", [.text(key)]).first
    }

    package func deadLetter(_ key: String) throws -> [String: String]? {
        try rows("SELECT * FROM dead_letters WHERE idempotency_key = ?", [.text(key)]).first
    }
}
