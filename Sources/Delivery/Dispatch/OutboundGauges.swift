import GatewayKit
/// Registers the outbound gauges, read at scrape time: outbox depth and oldest age, dead-letter count, and per
/// endpoint the age of its oldest pending call, the breaker state (0 closed, 1 half-open, 2 open), whether a 410
/// disabled it, and deliveries in flight.
public enum OutboundGauges {
    /// - Parameter now: unix ms, for the age.
    public static func register(in registry: MetricsRegistry, dispatcher: OutboxDispatcher, store: any GatewayStore,
                                now: @escaping @Sendable () -> Int64) {
        let stats: @Sendable () -> OutboxStats? = { try? store.read { try OutboxStats.read(in: $0) } }
        registry.registerGauge("gateway_outbox_depth", help: "Outbound calls queued or in flight (not yet delivered "
                               + "or dead-lettered); -1 when the store cannot be read") {
            [(labels: [], value: stats().map { Double($0.depth) } ?? -1)]
        }
        registry.registerGauge("gateway_outbox_oldest_age_seconds",
                               help: "Age of the oldest queued outbound call (0 when none)") {
            let oldest = stats()?.oldestCreatedAt
            return [(labels: [], value: oldest.map { max(0, Double(now() - $0) / 1000) } ?? 0)]
        }
        registry.registerGauge("gateway_outbound_oldest_pending_age_seconds",
                               help: "Per endpoint, how long its oldest queued or in-flight call has been due (0 when "
                               + "none; -1 when the store cannot be read); dead-lettered at outbound.max_retry_age") {
            let endpoints = dispatcher.status.map(\.endpoint)
            let oldest = try? store.read { try OutboxStats.oldestFirstDue(endpoints: endpoints, in: $0) }
            let millis = now()
            return endpoints.map { endpoint in
                let age = oldest.map { $0[endpoint].map { max(0, Double(millis - $0) / 1000) } ?? 0 } ?? -1
                return (labels: [("endpoint", endpoint.rawValue)], value: age)
            }
        }
        registry.registerGauge("gateway_dead_letters", help: "Deliveries in the dead-letter table") {
            [(labels: [], value: (try? store.read { try DeadLetterStore.count(in: $0) }).map(Double.init) ?? -1)]
        }
        registry.registerGauge("gateway_outbound_breaker_state",
                               help: "Circuit breaker per endpoint: 0 closed, 1 half-open, 2 open") {
            dispatcher.status.map { (labels: [("endpoint", $0.endpoint.rawValue)], value: $0.breakerGaugeValue) }
        }
        registry.registerGauge("gateway_outbound_endpoint_disabled",
                               help: "1 when an endpoint answered 410 Gone and was disabled") {
            dispatcher.status.map { (labels: [("endpoint", $0.endpoint.rawValue)], value: $0.disabled ? 1 : 0) }
        }
        registry.registerGauge("gateway_outbound_in_flight", help: "Outbound requests in flight per endpoint") {
            dispatcher.status.map { (labels: [("endpoint", $0.endpoint.rawValue)], value: Double($0.inFlight)) }
        }
    }
}
