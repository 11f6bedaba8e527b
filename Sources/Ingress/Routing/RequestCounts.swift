import GatewayKit
import Synchronization

/// `gateway_http_requests_total` by route, method and status, each series resolved once: every request is counted
/// when its response is queued — for an acknowledged webhook on the thread that completes the inbox's commits, where
/// rendering and hashing three labels per request was the larger part of its work.
final class RequestCounts: Sendable {
    private struct Series: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    static let name = "gateway_http_requests_total"
    static let help = "HTTP requests by route, method and status"

    private let metrics: MetricsRegistry
    private let resolved = Mutex<[Series: MetricsRegistry.CounterSeries]>([:])

    init(metrics: MetricsRegistry) {
        self.metrics = metrics
    }

    /// Counts one request to `route` (its pattern, or what the server made of it) answered with `status`.
    func increment(route: String, method: String, status: Int) {
        let series = Series(route: route, method: method, status: status)
        let counter = resolved.withLock { resolved in
            if let counter = resolved[series] { return counter }
            let counter = metrics.counterSeries(Self.name, [("route", route), ("method", method),
                                                            ("status", String(status))], help: Self.help)
            resolved[series] = counter
            return counter
        }
        counter.increment()
    }
}
