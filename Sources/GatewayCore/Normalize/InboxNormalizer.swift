import Foundation

/// The asynchronous step after ingress: takes committed deliveries from the inbox, runs the source's
/// ``DeliveryNormalizer`` over each and records the items. A delivery that cannot be normalized is marked failed with
/// its error and never blocks the ones behind it. Runs on its own thread; ``wake()`` shortens the wait after an append.
public final class InboxNormalizer: @unchecked Sendable {
    private let store: any GatewayStore
    private let normalizers: [InboxSource: any DeliveryNormalizer]
    private let metrics: MetricsRegistry
    private let pollInterval: TimeInterval
    private let batchSize: Int
    private let condition = NSCondition()
    private var running = false
    private var wakeRequested = false
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)

    public init(store: any GatewayStore, normalizers: [any DeliveryNormalizer], metrics: MetricsRegistry,
                pollIntervalMilliseconds: Int, batchSize: Int) {
        self.store = store
        self.normalizers = Dictionary(normalizers.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        self.metrics = metrics
        self.pollInterval = Double(pollIntervalMilliseconds) / 1000
        self.batchSize = batchSize
    }

    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running, thread == nil else { return }
        running = true
        let thread = Thread { [self] in
            Thread.current.name = "inbox-normalize"   // set from inside so the OS sees it (15 characters at most)
            loop()
        }
        self.thread = thread
        thread.start()
    }

    /// Asks the worker to look at the inbox now rather than at the next poll.
    public func wake() {
        condition.lock()
        wakeRequested = true
        condition.signal()
        condition.unlock()
    }

    /// Stops after the delivery in hand; pending deliveries stay in the inbox for the next start.
    public func stop() {
        condition.lock()
        let wasRunning = running && thread != nil
        running = false
        condition.signal()
        condition.unlock()
        if wasRunning { stopped.wait() }
    }

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
        guard !deliveries.isEmpty, isRunningOrDraining else { return 0 }
        record(deliveries.map(normalize))
        return deliveries.count
    }

    private var isRunningOrDraining: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running || thread == nil
    }

    private func loop() {
        while true {
            condition.lock()
            if !running { condition.unlock(); break }
            condition.unlock()

            let handled = drainOnce()
            if handled >= batchSize { continue }  // more may be waiting

            condition.lock()
            if running && !wakeRequested {
                _ = condition.wait(until: Date(timeIntervalSinceNow: pollInterval))
            }
            wakeRequested = false
            condition.unlock()
        }
        stopped.signal()
    }

    private func normalize(_ delivery: StoredDelivery) -> DeliveryNormalization {
        guard let normalizer = normalizers[delivery.source] else {
            return DeliveryNormalization(delivery: delivery, result: .failure(NoNormalizerError(source: delivery.source)))
        }
        return DeliveryNormalization(delivery: delivery, result: Result { try normalizer.normalize(delivery) })
    }

    /// Writes a whole pass in one writer operation: one commit for many deliveries keeps the single writer free
    /// for the ingress path.
    private func record(_ normalizations: [DeliveryNormalization]) {
        do {
            let outcomes = try store.recordNormalizations(normalizations)
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
