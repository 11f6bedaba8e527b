import GatewayKit

/// What the periodic sweep dead-letters without an attempt: rows nobody can send (parked as `undeliverable`), and
/// rows past their endpoint's retry horizon by age (`exhausted`, error class `expired`) — whatever the breaker or
/// the 410 kill switch is doing, because those only ever hold rows back.
extension OutboxSync {
    /// Expired rows dead-lettered per endpoint and sweep at most, so one sweep after a long outage stays short (the
    /// dispatcher sweeps again at once while batches come back full).
    static let expiryBatch = 1_000

    /// Rows of endpoints without a URL, parked as undeliverable with the reason naming the setting to fix.
    struct Park: Sendable {
        let endpoint: EndpointName
        let reason: String

        /// The rows of configured endpoints without a URL (rows of unconfigured names are found in the operation).
        static func forEndpointsWithoutURL(_ endpoints: [OutboundEndpoint]) -> [Park] {
            endpoints.filter { $0.url == nil }.sorted { $0.name < $1.name }
                .map { Park(endpoint: $0.name, reason: $0.missingURLReason) }
        }
    }

    /// Rows of `endpoint` first due at or before `firstDueUpTo`: older than its retry horizon.
    struct Expiry: Sendable {
        let endpoint: EndpointName
        let firstDueUpTo: Int64
        /// The dead letter's error: the horizon and the setting that sets it.
        let reason: String

        init(endpoint: EndpointName, settings: OutboundSettings, now: Int64) {
            let maxAge = settings.maxRetryAgeMilliseconds(for: endpoint)
            let setting = settings.endpoints[endpoint]?.maxRetryAgeMilliseconds != nil
                ? "outbound.endpoints.\(endpoint).max_retry_age" : "outbound.max_retry_age"
            self.endpoint = endpoint
            firstDueUpTo = now - Int64(maxAge)
            reason = "not delivered within \(DurationText.format(milliseconds: maxAge)) of its first due time (\(setting))"
        }
    }

    /// Rows the sweep dead-lettered, by endpoint, and whether it should run again at once.
    struct Retired: Sendable {
        var parked: [EndpointName: Int] = [:]
        var expired: [EndpointName: Int] = [:]

        /// Some endpoint had more expired rows than one batch takes.
        var moreExpired: Bool { expired.values.contains { $0 >= expiryBatch } }

        /// Counted as deliveries with their dead-letter reason, and logged as warnings.
        func report(_ metrics: OutboundMetrics, _ log: EventLog) {
            for (endpoint, count) in parked.sorted(by: { $0.key < $1.key }) {
                metrics.outcome(endpoint, DeadLetterReason.undeliverable.rawValue, count: count)
                log.warning("outbound_parked_undeliverable", ["endpoint": endpoint.rawValue, "count": String(count)])
            }
            for (endpoint, count) in expired.sorted(by: { $0.key < $1.key }) {
                metrics.outcome(endpoint, DeadLetterReason.exhausted.rawValue, count: count)
                log.warning("outbound_expired", ["endpoint": endpoint.rawValue, "count": String(count),
                                                 "error_class": DeliveryErrorClass.expired.rawValue])
            }
        }
    }
}
