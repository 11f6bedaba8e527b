import Delivery
import GatewayKit
import Synchronization

/// `gateway_webhooks_total` by source and outcome, each series resolved once: every acknowledged webhook is counted,
/// and rendering and hashing its labels on each one was a visible share of the acknowledgement's CPU.
final class WebhookCounts: Sendable {
    private struct Series: Hashable {
        let source: String
        let outcome: String
    }

    private let metrics: MetricsRegistry
    private let resolved = Mutex<[Series: MetricsRegistry.CounterSeries]>([:])

    init(metrics: MetricsRegistry) {
        self.metrics = metrics
    }

    /// Counts one webhook from `source` with `outcome` (`accepted`, `duplicate`, `rejected_signature`, ...).
    func increment(_ source: InboxSource, _ outcome: String) {
        let series = Series(source: source.rawValue, outcome: outcome)
        let counter = resolved.withLock { resolved in
            if let counter = resolved[series] { return counter }
            let counter = metrics.counterSeries("gateway_webhooks_total", [("source", source.rawValue),
                                                                          ("outcome", outcome)],
                                                help: "Inbound webhooks by source and outcome")
            resolved[series] = counter
            return counter
        }
        counter.increment()
    }
}
