import Foundation
import GatewayKit

/// The asynchronous step after ingress: takes committed deliveries from the inbox, runs the source's
/// ``DeliveryNormalizer`` over each, records the items and hands those it recorded to the inbound applier. A delivery
/// that cannot be normalized is marked failed with its error and never blocks the ones behind it. Runs on its own
/// thread; ``wake()`` shortens the wait after an append. The running normalizer does not wait for a pass to be recorded
/// before it reads and normalizes the next (``PassesInFlight``), so its work and the writer's overlap.
public final class InboxNormalizer: @unchecked Sendable, Service {
    private let store: any GatewayStore
    private let normalizers: [InboxSource: any DeliveryNormalizer]
    private let metrics: MetricsRegistry
    private let batchSize: Int
    private let logRetentionMilliseconds: Int64
    private let clock: @Sendable () -> Int64
    private let applier: InboundItemApplier?
    /// Whether the loop's next pass waits for a burst (normalizer thread only).
    private var deferral: BurstDeferral
    private let inFlight = PassesInFlight(limit: 2)
    /// Unix ms of the next look for inbox log deliveries past their retention (normalizer thread only).
    private var nextPrune: Int64 = 0
    private var loop: PollingLoop?

    /// - Parameters:
    ///   - logRetentionMilliseconds: how long recorded deliveries stay in the inbox log (pruned once a minute).
    ///   - clock: unix ms.
    ///   - applier: while it runs, the running normalizer's passes apply the items as they record them, in the same
    ///     writer operations where the engine allows (``InboundItemApplier/recordAndApply(_:from:now:completion:)``),
    ///     else handed over right after the commit (``InboundItemApplier/applyRecorded(_:)``); otherwise they wait for
    ///     a consumer's polling pass.
    ///   - burstRatePerSecond, burstDeferralMilliseconds: while webhooks arrive faster than the rate, the running
    ///     normalizer waits, at most that long in a row (``BurstDeferral``); 0 = never. Passes run by hand never wait.
    ///   - leadership: in a cluster, only the leading instance's loop normalizes (one reader of the shared log, as
    ///     on a single instance); nil: this one always does.
    public init(store: any GatewayStore, normalizers: [any DeliveryNormalizer], metrics: MetricsRegistry,
                pollIntervalMilliseconds: Int, batchSize: Int, logRetentionMilliseconds: Int = 7 * 86_400_000,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
                applier: InboundItemApplier? = nil, burstRatePerSecond: Int = 0, burstDeferralMilliseconds: Int = 0,
                leadership: (any Leadership)? = nil) {
        self.applier = applier
        deferral = BurstDeferral(ratePerSecond: burstRatePerSecond, maxDeferralMilliseconds: burstDeferralMilliseconds)
        self.store = store
        self.normalizers = Dictionary(normalizers.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        self.metrics = metrics
        self.batchSize = batchSize
        self.logRetentionMilliseconds = Int64(logRetentionMilliseconds)
        self.clock = clock
        loop = PollingLoop(name: "inbox-normalize", pollIntervalMilliseconds: pollIntervalMilliseconds) { [weak self] in
            guard let self, leadership?.isLeader ?? true else { return false }
            if waitsForBurst() { return false }
            let handled = pipelinedPass()
            deferral.passRan(caughtUp: handled < batchSize)
            pruneLogWhenDue()
            return handled >= batchSize  // a full batch: more may be waiting
        }
    }

    /// Whether this pass waits because webhooks are arriving in a burst; if so it sleeps a little first (the appends
    /// keep waking the loop, and checking after each of them would cost the cores the wait is meant to free).
    private func waitsForBurst() -> Bool {
        let wasDeferring = deferral.isDeferring
        guard deferral.shouldDefer(appendsSoFar: store.inboxLog.appendCount,
                                   now: DispatchTime.now().uptimeNanoseconds) else { return false }
        if !wasDeferring {
            metrics.increment("gateway_normalizer_burst_deferrals_total",
                              help: "Times normalizing waited for a burst of webhooks to pass")
        }
        Thread.sleep(forTimeInterval: 0.05)
        return true
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

    /// True while a pass is being recorded without the normalizer waiting for it: its deliveries may be committed before
    /// its counters are (tests wait for this to end before reading counters).
    public var isRecording: Bool { inFlight.isBusy }

    /// Asks the worker to look at the inbox now rather than at the next poll.
    public func wake() { loop?.wake() }

    /// Stops after the pass in hand and waits for the passes still being recorded; pending deliveries stay in the
    /// inbox for the next start.
    public func stop() {
        loop?.stop()
        inFlight.restart()
    }

    /// Normalizes one batch of what is pending and records it, on the caller's thread; returns how many deliveries
    /// were handled, all recorded (or failed) when it returns.
    @discardableResult
    public func drainOnce() -> Int {
        inFlight.restart()
        guard let (deliveries, _) = read(after: nil) else { return 0 }
        let normalizations = deliveries.map(normalize)
        do {
            report(normalizations, try store.recordNormalizations(normalizations, now: clock()))
        } catch {
            countRecordFailure()
        }
        return deliveries.count
    }

    /// The running loop's pass: reads past the passes still being recorded, normalizes, and queues the recording
    /// without waiting for it (a pass with deliveries from before the inbox log is recorded as ``drainOnce()`` does).
    private func pipelinedPass() -> Int {
        let after = inFlight.startPass()
        guard let (deliveries, cursor) = read(after: after) else { return 0 }
        guard let last = deliveries.last?.logPosition, deliveries.allSatisfy({ $0.logged != nil }) else {
            return drainOnce()
        }
        let normalizations = deliveries.map(normalize)
        inFlight.submit(through: last)
        if let applier, applier.appliesWhileRecording {
            applier.recordAndApply(normalizations, from: cursor, now: clock()) { [self] outcomes, error in
                report(normalizations, outcomes)
                if error != nil { countRecordFailure() }
                inFlight.finished(succeeded: error == nil)
            }
            return deliveries.count
        }
        store.recordNormalizations(normalizations, from: cursor, now: clock()) { [self] result in
            switch result {
            case .success(let outcomes): report(normalizations, outcomes)
            case .failure: countRecordFailure()
            }
            inFlight.finished(succeeded: (try? result.get()) != nil)
        }
        return deliveries.count
    }

    /// Up to one batch of pending deliveries, logged ones after `after` (nil: after the cursor), and the cursor they
    /// were read from; nil when there is nothing to do or the store cannot be read.
    private func read(after: LogPosition?) -> (deliveries: [StoredDelivery], cursor: LogPosition)? {
        do {
            let pending = try store.pendingDeliveries(limit: batchSize, loggedAfter: after)
            guard !pending.deliveries.isEmpty, loop?.isActive ?? true else { return nil }
            return pending
        } catch {
            metrics.increment("gateway_normalizer_errors_total", [("stage", "read")],
                              help: "Normalizer failures to read or record, by stage")
            return nil
        }
    }

    private func normalize(_ delivery: StoredDelivery) -> DeliveryNormalization {
        guard let normalizer = normalizers[delivery.source] else {
            return DeliveryNormalization(delivery: delivery, result: .failure(NoNormalizerError(source: delivery.source)))
        }
        return DeliveryNormalization(delivery: delivery, result: Result { try normalizer.normalize(delivery) })
    }

    /// A recorded pass: hands its pending items to the applier and counts them (deliveries whose outcome is nil did not
    /// commit). The items are summed by source first: a counter update renders its labels, which cost more than the
    /// rest of counting a delivery, so a pass makes three per source rather than three per delivery.
    private func report(_ normalizations: [DeliveryNormalization], _ outcomes: [NormalizationOutcome?]) {
        if let applier, applier.isRunning { applier.applyRecorded(outcomes.flatMap { $0?.recorded ?? [] }) }
        var bySource: [InboxSource: (stored: Int, duplicates: Int, failed: Int)] = [:]
        for (normalization, outcome) in zip(normalizations, outcomes) {
            guard let outcome else { continue }
            let source = normalization.delivery.source
            let sum = bySource[source] ?? (0, 0, 0)
            bySource[source] = (sum.stored + outcome.stored, sum.duplicates + outcome.duplicates,
                                sum.failed + outcome.failed)
            for field in normalization.result?.unhandled ?? [] {
                metrics.increment("gateway_\(source.rawValue)_unhandled_total", [("field", String(field.prefix(64)))],
                                  help: "Parts of \(source.rawValue) deliveries the gateway does not act on, by field")
            }
        }
        let help = "Normalized items by source and outcome"
        for (source, sum) in bySource {
            for (name, count) in [("stored", sum.stored), ("duplicate", sum.duplicates), ("failed", sum.failed)] {
                metrics.increment("gateway_inbox_items_total", [("source", source.rawValue), ("outcome", name)],
                                  by: Double(count), help: help)
            }
        }
    }

    /// The store could not record a pass: its deliveries stay pending and are read again.
    private func countRecordFailure() {
        metrics.increment("gateway_normalizer_errors_total", [("stage", "record")],
                          help: "Normalizer failures to read or record, by stage")
    }
}

/// A delivery arrived from a source that has no normalizer configured.
struct NoNormalizerError: Error, CustomStringConvertible {
    let source: InboxSource
    var description: String { "no normalizer for source \(source.rawValue)" }
}
