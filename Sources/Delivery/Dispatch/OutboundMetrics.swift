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

    /// Every attempt, by endpoint and result (`2xx` or the error class).
    func attempt(_ endpoint: EndpointName, _ report: AttemptReport) {
        registry.increment(Self.attempts, [("endpoint", endpoint.rawValue), ("result", report.errorClass?.rawValue ?? "2xx")],
                           help: "Outbound delivery attempts by endpoint and result")
        registry.observe(Self.attemptDuration, [("endpoint", endpoint.rawValue)], value: report.durationSeconds,
                         help: "Outbound attempt latency (request start to response or error)")
    }

    /// Final and intermediate outcomes: `delivered`, `retry_scheduled`, or a dead-letter reason.
    func outcome(_ endpoint: EndpointName, _ outcome: String, count: Int = 1) {
        registry.increment(Self.deliveries, [("endpoint", endpoint.rawValue), ("outcome", outcome)], by: Double(count),
                           help: "Outbound deliveries by endpoint and outcome (delivered, retry_scheduled, "
                               + "permanent, exhausted, gone, undeliverable)")
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
