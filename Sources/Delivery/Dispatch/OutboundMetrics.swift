import Foundation
import GatewayKit

/// The dispatcher's counters and histogram, named in one place. Gauges (outbox depth and age, dead letters, breaker
/// state) are read at scrape time; see ``OutboundGauges``.
struct OutboundMetrics: Sendable {
    static let attempts = "gateway_outbound_attempts_total"
    static let deliveries = "gateway_outbound_deliveries_total"
    static let attemptDuration = "gateway_outbound_attempt_duration_seconds"
    static let breakerOpened = "gateway_outbound_breaker_opened_total"
    static let endpointDisabled = "gateway_outbound_endpoint_disabled_total"
    static let syncErrors = "gateway_outbound_sync_errors_total"
    static let observerErrors = "gateway_outbound_observer_errors_total"

    let registry: MetricsRegistry
    private let series: SeriesCache

    init(registry: MetricsRegistry) {
        self.registry = registry
        series = SeriesCache(registry)
    }

    /// Every attempt, by endpoint and result (`2xx` or the error class).
    func attempt(_ endpoint: EndpointName, _ report: AttemptReport) {
        let (attempts, duration) = series.attempt(endpoint, report.errorClass?.rawValue ?? "2xx")
        attempts.increment()
        duration.observe(report.durationSeconds)
    }

    /// Final and intermediate outcomes: `delivered`, `retry_scheduled`, or a dead-letter reason.
    func outcome(_ endpoint: EndpointName, _ outcome: String, count: Int = 1) {
        series.outcome(endpoint, outcome).increment(by: Double(count))
    }

    func breakerOpened(_ endpoint: EndpointName) {
        registry.increment(Self.breakerOpened, [("endpoint", endpoint.rawValue)], help: "Times an endpoint's circuit breaker opened")
    }

    func endpointDisabled(_ endpoint: EndpointName) {
        registry.increment(Self.endpointDisabled, [("endpoint", endpoint.rawValue)],
                           help: "Endpoints disabled after answering 410 Gone (alert on any increase)")
    }

    func observerFailed(_ endpoint: EndpointName) {
        registry.increment(Self.observerErrors, [("endpoint", endpoint.rawValue)],
                           help: "Outcome observers that threw (their changes rolled back; alert on any increase)")
    }

    func syncFailed() {
        registry.increment(Self.syncErrors, help: "Dispatcher writes (claims, outcomes) that failed and were retried")
    }
}

/// The per-attempt series, resolved on an endpoint's first attempt with each result or outcome and kept: rendering and
/// hashing their labels on every attempt was a visible share of the HTTP client's thread, where attempts complete.
/// Each series counts exactly what `MetricsRegistry.increment`/`observe` with the same name, labels and help text
/// would. `@unchecked`: the tables are only accessed under `lock`.
private final class SeriesCache: @unchecked Sendable {
    private struct Key: Hashable {
        let endpoint: EndpointName
        let label: String
    }

    private let registry: MetricsRegistry
    private let lock = NSLock()
    private var attempts: [Key: MetricsRegistry.CounterSeries] = [:]
    private var durations: [EndpointName: MetricsRegistry.HistogramSeries] = [:]
    private var outcomes: [Key: MetricsRegistry.CounterSeries] = [:]

    init(_ registry: MetricsRegistry) {
        self.registry = registry
    }

    /// The attempt counter for `result` and the attempt latency histogram of `endpoint`.
    func attempt(_ endpoint: EndpointName, _ result: String)
        -> (MetricsRegistry.CounterSeries, MetricsRegistry.HistogramSeries) {
        lock.lock()
        defer { lock.unlock() }
        let key = Key(endpoint: endpoint, label: result)
        if let counter = attempts[key], let duration = durations[endpoint] { return (counter, duration) }
        let counter = attempts[key] ?? registry.counterSeries(
            OutboundMetrics.attempts, [("endpoint", endpoint.rawValue), ("result", result)],
            help: "Outbound delivery attempts by endpoint and result")
        let duration = durations[endpoint] ?? registry.histogramSeries(
            OutboundMetrics.attemptDuration, [("endpoint", endpoint.rawValue)],
            help: "Outbound attempt latency (request start to response or error)")
        attempts[key] = counter
        durations[endpoint] = duration
        return (counter, duration)
    }

    func outcome(_ endpoint: EndpointName, _ outcome: String) -> MetricsRegistry.CounterSeries {
        lock.lock()
        defer { lock.unlock() }
        let key = Key(endpoint: endpoint, label: outcome)
        if let counter = outcomes[key] { return counter }
        let counter = registry.counterSeries(
            OutboundMetrics.deliveries, [("endpoint", endpoint.rawValue), ("outcome", outcome)],
            help: "Outbound deliveries by endpoint and outcome (delivered, retry_scheduled, "
                + "permanent, exhausted, gone, undeliverable)")
        outcomes[key] = counter
        return counter
    }
}
