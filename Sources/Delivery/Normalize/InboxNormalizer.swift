import Foundation
import GatewayKit

/// The asynchronous step after ingress: takes committed deliveries from the inbox, runs the source's
/// ``DeliveryNormalizer`` over each, records the items and hands those it recorded to the inbound applier. A delivery
/// that cannot be normalized is marked failed with its error and never blocks the ones behind it. Runs on its own
/// thread; ``wake()`` shortens the wait after an append.
public final class InboxNormalizer: @unchecked Sendable, Service {
    private let store: any GatewayStore
    private let normalizers: [InboxSource: any DeliveryNormalizer]
    private let metrics: MetricsRegistry
    private let batchSize: Int
    private let logRetentionMilliseconds: Int64
    private let clock: @Sendable () -> Int64
    private let applier: InboundItemApplier?
    /// Unix ms of the next look for inbox log deliveries past their retention (normalizer thread only).
    private var nextPrune: Int64 = 0
    private var loop: PollingLoop?

    /// - Parameters:
    ///   - logRetentionMilliseconds: how long recorded deliveries stay in the inbox log (pruned once a minute).
    ///   - clock: unix ms.
    ///   - applier: applies the recorded items straight away while it runs (``InboundItemApplier/applyRecorded(_:)``);
    ///     otherwise they wait for a consumer's polling pass.
    public init(store: any GatewayStore, normalizers: [any DeliveryNormalizer], metrics: MetricsRegistry,
                pollIntervalMilliseconds: Int, batchSize: Int, logRetentionMilliseconds: Int = 7 * 86_400_000,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
                applier: InboundItemApplier? = nil) {
        self.applier = applier
        self.store = store
        self.normalizers = Dictionary(normalizers.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        self.metrics = metrics
        self.batchSize = batchSize
        self.logRetentionMilliseconds = Int64(logRetentionMilliseconds)
        self.clock = clock
        loop = PollingLoop(name: "inbox-normalize", pollIntervalMilliseconds: pollIntervalMilliseconds) { [weak self] in
            guard let self else { return false }
            let handled = drainOnce()
            pruneLogWhenDue()
            return handled >= batchSize  // a full batch: more may be waiting
        }
    }

    /// Once a minute, deletes the inbox log's recorded deliveries older than the retention.
    private func pruneLogWhenDue() {
        let now = clock()
        guard now >= nextPrune else { return }
        nextPrune = now + 60_000
        do {
            try store.pruneInboxLog(receivedBefore: now - logRetentionMilliseconds)
        } catch {
            metrics.increment("gateway_normalizer_errors_total", [("stage", "prune")],
                              help: "Normalizer failures to read or record, by stage")
        }
    }

    public func start() { loop?.start() }

    /// Asks the worker to look at the inbox now rather than at the next poll.
    public func wake() { loop?.wake() }

    /// Stops after the delivery in hand; pending deliveries stay in the inbox for the next start.
    public func stop() { loop?.stop() }

    /// Normalizes everything pending now, on the caller's thread; returns how many deliveries were handled.
    @discardableResult
    public func drainOnce() -> Int {
        let deliveries: [StoredDelivery]
        do {
            deliveries = try store.pendingDeliveries(limit: batchSize)
        } catch {
            metrics.increment("gateway_normalizer_errors_total", [("stage", "read")],
                              help: "Normalizer failures to read or record, by stage")
            return 0
        }
        guard !deliveries.isEmpty, loop?.isActive ?? true else { return 0 }
        record(deliveries.map(normalize))
        return deliveries.count
    }

    private func normalize(_ delivery: StoredDelivery) -> DeliveryNormalization {
        guard let normalizer = normalizers[delivery.source] else {
            return DeliveryNormalization(delivery: delivery, result: .failure(NoNormalizerError(source: delivery.source)))
        }
        return DeliveryNormalization(delivery: delivery, result: Result { try normalizer.normalize(delivery) })
    }

    /// Writes a whole pass in one writer operation (one commit for many deliveries), then hands the recorded items to
    /// the applier.
    private func record(_ normalizations: [DeliveryNormalization]) {
        do {
            let outcomes = try store.recordNormalizations(normalizations)
            if let applier, applier.isRunning { applier.applyRecorded(outcomes.flatMap(\.recorded)) }
            let help = "Normalized items by source and outcome"
            for (normalization, outcome) in zip(normalizations, outcomes) {
                let source = normalization.delivery.source.rawValue
                metrics.increment("gateway_inbox_items_total", [("source", source), ("outcome", "stored")],
                                  by: Double(outcome.stored), help: help)
                metrics.increment("gateway_inbox_items_total", [("source", source), ("outcome", "duplicate")],
                                  by: Double(outcome.duplicates), help: help)
                metrics.increment("gateway_inbox_items_total", [("source", source), ("outcome", "failed")],
                                  by: Double(outcome.failed), help: help)
            }
        } catch {
            // The store could not record them: the deliveries stay pending and are retried on the next pass.
            metrics.increment("gateway_normalizer_errors_total", [("stage", "record")],
                              help: "Normalizer failures to read or record, by stage")
        }
    }
}

/// A delivery arrived from a source that has no normalizer configured.
struct NoNormalizerError: Error, CustomStringConvertible {
    let source: InboxSource
    var description: String { "no normalizer for source \(source.rawValue)" }
}
