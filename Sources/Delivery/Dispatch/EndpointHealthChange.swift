import GatewayKit

/// What one attempt's answer changed about its endpoint: a 410 Gone disabled it (the kill switch), a failure opened
/// its circuit breaker, or an answer closed a breaker that was open or probing. Worked out on the lane
/// (``EndpointLane/recordAnswer(_:of:now:)``); the dispatcher stores a disablement and reports every change.
enum EndpointHealthChange {
    case disabled(EndpointDisablement)
    case breakerOpened(failures: Int, probeAt: Int64)
    case breakerClosed

    /// Counts and logs the change: a disablement at error level (an operator must re-enable the endpoint), an opened
    /// breaker as a warning.
    func report(endpoint: EndpointName, metrics: OutboundMetrics, log: EventLog) {
        switch self {
        case .disabled(let disablement):
            metrics.endpointDisabled(endpoint)
            log.error("outbound_endpoint_disabled", disablement.logFields)
        case .breakerOpened(let failures, let probeAt):
            metrics.breakerOpened(endpoint)
            log.warning("outbound_breaker_opened", ["endpoint": endpoint.rawValue, "failures": String(failures),
                                                    "probe_at": DeadLetter.timestamp(probeAt)])
        case .breakerClosed:
            log.info("outbound_breaker_closed", ["endpoint": endpoint.rawValue])
        }
    }
}

extension EndpointLane {
    /// Feeds the breaker and the 410 kill switch with the answer to one attempt of `record`.
    mutating func recordAnswer(_ report: AttemptReport, of record: OutboxRecord, now: Int64) -> EndpointHealthChange? {
        switch report.errorClass {
        case .gone?:
            guard !disabled else { return nil }
            let disablement = EndpointDisablement(endpoint: endpoint.name, status: report.status ?? 410,
                                                  idempotencyKey: record.idempotencyKey, disabledAt: now)
            self.disablement = disablement
            return .disabled(disablement)
        case let errorClass? where errorClass.countsAsEndpointFailure:
            guard recordFailure(now: now) else { return nil }
            return .breakerOpened(failures: breaker.consecutiveFailures, probeAt: breaker.reopensAt ?? now)
        default:
            // The receiver answered (2xx, a 4xx, a 429): it is up, whatever it thought of the request.
            let wasOpen = breaker.state != .closed
            recordSuccess()
            return wasOpen ? .breakerClosed : nil
        }
    }
}
