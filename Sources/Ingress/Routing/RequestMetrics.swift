import GatewayKit
import Synchronization

/// `gateway_http_requests_total` by route, method and status and `gateway_http_request_duration_seconds` by route,
/// each series resolved once: every request is counted and timed when its response is queued — for an acknowledged
/// webhook on the thread that completes the inbox's commits, where rendering and hashing the labels per request was
/// the larger part of its work.
final class RequestMetrics: Sendable {
    private struct Series: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    static let countName = "gateway_http_requests_total"
    static let countHelp = "HTTP requests by route, method and status"
    static let durationName = "gateway_http_request_duration_seconds"
    static let durationHelp = "HTTP request latency from full body received to response queued"

    private let metrics: MetricsRegistry
    private let counters = Mutex<[Series: MetricsRegistry.CounterSeries]>([:])
    private let durations = Mutex<[String: MetricsRegistry.HistogramSeries]>([:])

    init(metrics: MetricsRegistry) {
        self.metrics = metrics
    }

    /// Counts one request to `route` (its pattern, or what the server made of it) answered with `status`.
    func count(route: String, method: String, status: Int) {
        let series = Series(route: route, method: method, status: status)
        let counter = counters.withLock { counters in
            if let counter = counters[series] { return counter }
            let counter = metrics.counterSeries(Self.countName, [("route", route), ("method", method),
                                                                 ("status", String(status))], help: Self.countHelp)
            counters[series] = counter
            return counter
        }
        counter.increment()
    }

    /// Times one request to `route`: `seconds` from its full body received to its response queued.
    func observe(route: String, seconds: Double) {
        let duration = durations.withLock { durations in
            if let duration = durations[route] { return duration }
            let duration = metrics.histogramSeries(Self.durationName, [("route", route)], help: Self.durationHelp)
            durations[route] = duration
            return duration
        }
        duration.observe(seconds)
    }
}
