import Foundation
import GatewayKit
import Storage

/// The consumer of normalized inbox items: runs each pending item through an ordered list of ``InboundItemStep``s
/// (identity, then tickets, ...) and marks it `applied` (or `ignored`, or `failed` with its error) in the same
/// transaction as the steps' changes, so every item takes effect exactly once.
///
/// Why separate operations rather than inside the normalizer's recording transaction: recording must never fail
/// because of domain rules, and a poison item here must fail alone. Items reach it two ways. The normalizer hands over
/// what it has just recorded, with the events it decoded on its own thread (``applyRecorded(_:)``), so the steps run
/// without the payload being read back and parsed again; a polling pass picks up whatever is still pending (items
/// recorded before a crash or a restart, or not handed over). Either way each item is its own writer operation in id
/// order, checked to be still pending inside it, and the operations take effect one at a time in that order
/// (``InboundItemWrites``): that is what serializes two deliveries for the same new user, so they resolve to one
/// customer and one ticket, and what makes an item reached both ways take effect once.
public final class InboundItemApplier: @unchecked Sendable, Service {
    private let database: any Database
    /// Where each item's writer operation is queued: one at a time, in the order queued.
    private let itemWrites: InboundItemWrites
    /// The steps every item runs through, in the order they run: by ``InboundPhase``, and as given within a phase
    /// (read-only: `gateway-bench tickets` measures these, so the benchmark cannot drift from what `GatewayApp`
    /// wires).
    public let steps: [any InboundItemStep]
    /// The steps by the item kind they take, in run order: a step's ``InboundItemStep/kinds`` is a set built anew on
    /// every read, too dear to build for every step and item.
    private let stepsByKind: StepsByKind
    /// The item kinds its polling passes and hand-overs take: those of the steps without a consumer of their own.
    private let kinds: [String]
    /// The item kinds it applies as they are recorded: those of every step.
    private let recordingKinds: Set<String>
    /// Where items of a kind with a consumer of its own are counted (``InboundItemStep/consumerSeries``).
    private let seriesByKind: [String: InboxItemSeries]
    private let metrics: MetricsRegistry
    private let clock: @Sendable () -> Int64
    private let batchSize: Int
    /// How ``recordAndApply(_:from:now:completion:)`` cuts a pass into runs recorded in one writer operation each.
    /// Guarded by `passLock`; tests set it before the applier starts.
    var recordingRuns = RecordingRuns()
    private var loop: PollingLoop?
    /// Passes started and not yet finished (their counters not yet recorded); guarded by `passLock`.
    private var passesRunning = 0
    private let passLock = NSLock()

    /// - Parameters:
    ///   - clock: unix milliseconds, handed to the steps as ``InboundItem/now``.
    ///   - leadership: in a cluster, only the leading instance's loop applies items, one at a time as on a single
    ///     instance (a new sender's two first messages make one customer); nil: this one always does.
    public init(database: any Database, steps: [any InboundItemStep], metrics: MetricsRegistry,
                clock: @escaping @Sendable () -> Int64, pollIntervalMilliseconds: Int, batchSize: Int,
                leadership: (any Leadership)? = nil) {
        self.database = database
        itemWrites = InboundItemWrites(database: database)
        self.steps = steps.enumerated().sorted { ($0.element.phase, $0.offset) < ($1.element.phase, $1.offset) }
            .map(\.element)
        stepsByKind = Self.byKind(self.steps)
        kinds = Self.kinds(of: self.steps)
        recordingKinds = Set(self.steps.flatMap(\.kinds))
        seriesByKind = self.steps.reduce(into: [:]) { byKind, step in
            for kind in step.kinds { byKind[kind] = step.consumerSeries ?? byKind[kind] }
        }
        self.metrics = metrics
        self.clock = clock
        self.batchSize = batchSize
        loop = PollingLoop(name: "inbound-apply", pollIntervalMilliseconds: pollIntervalMilliseconds) { [weak self] in
            guard let self, leadership?.isLeader ?? true else { return false }
            return drainOnce() >= batchSize
        }
    }

    public func start() { loop?.start() }
    public func wake() { loop?.wake() }
    public func stop() { loop?.stop() }

    /// Started and not stopped: the normalizer hands it what it records only then (an applier driven by hand, as
    /// in tests, or one stopping, leaves the items to polling passes).
    public var isRunning: Bool { loop?.isRunning ?? false }

    /// True while a pass runs: its items may be committed before its counters are recorded (tests wait for this to
    /// end before reading counters).
    public var isApplying: Bool { passLock.withLock { passesRunning > 0 } }

    /// Applies up to one batch of pending items on the caller's thread; returns how many were handled.
    ///
    /// Each item is its own writer operation (queued together by the operation that lists them, so one group commit
    /// normally takes them all): inside one operation for the whole pass, every item's savepoint would be nested in
    /// the operation's, and SQLite then keeps the undo pages of the whole pass and walks them on every item's
    /// `RELEASE` — a cost that grew with the batch (about 55 µs per new-sender message at 100 items, BENCHMARKS.md).
    @discardableResult
    public func drainOnce() -> Int {
        passLock.withLock { passesRunning += 1 }
        defer { passLock.withLock { passesRunning -= 1 } }
        let (steps, kinds) = (stepsByKind, self.kinds)
        let limit = batchSize
        let now = clock()
        let collector = InboundPassCollector()
        database.write({ [itemWrites] connection -> Int in
            let ids = try InboxItemPass.pendingIDs(kinds: kinds, limit: limit, in: connection)
            collector.expect(ids.count)
            for id in ids {
                // Listed by id alone: each keeps its place among every other item.
                itemWrites.write(orderedBy: nil, { connection in
                    var counts = MetricCounts()
                    let outcome = try InboxItemPass.applyItem(id, in: connection) { id, event, occurredAt in
                        try Self.apply(id, event, occurredAt, steps: steps, now: now, counts: &counts, in: connection)
                    }
                    return outcome.map { InboundItemResult(outcome: $0, counts: counts) }
                }, completion: collector.receive)
            }
            return ids.count
        }, completion: { result in
            if case .failure = result { collector.listingFailed() } else { collector.listingCommitted() }
        })
        let (pass, storeErrors) = collector.wait()
        Self.count(pass, storeErrors: storeErrors, in: metrics)
        return pass.handled
    }

    /// Applies items the normalizer has just recorded, from their events as it still holds them (an item given only
    /// its payload is decoded from it): each is prepared (``InboundItemStep/prepare(_:occurredAt:)``) here, on the
    /// caller's thread, and queued as its own writer operation; returns without waiting. Hand-overs arrive in the order
    /// the passes committed, so items are applied in id order. Items of kinds no step takes, or whose payload does not
    /// decode, are left to the polling pass.
    public func applyRecorded(_ recorded: [RecordedItem]) {
        let steps = stepsByKind
        let prepared = recorded.compactMap { recorded -> (id: Int64, event: InboundEvent, occurredAt: Int64?,
                                                          preparations: Preparations?)? in
            guard kinds.contains(recorded.item.kind),
                  let event = recorded.item.event ?? (try? InboundEvent(json: recorded.item.payload))
            else { return nil }
            let occurredAt = recorded.item.occurredAt
            return (recorded.id, event, occurredAt, Self.prepare(event, occurredAt: occurredAt, steps: steps))
        }
        guard !prepared.isEmpty else { return }
        passLock.withLock { passesRunning += 1 }
        let (now, metrics) = (clock(), self.metrics)
        let collector = InboundPassCollector { [weak self] pass, storeErrors in
            Self.count(pass, storeErrors: storeErrors, in: metrics)
            self?.passLock.withLock { self?.passesRunning -= 1 }
        }
        for item in prepared {
            itemWrites.write(orderedBy: item.event.orderingKey, { connection in
                var counts = MetricCounts()
                let outcome = try InboxItemPass.applyItem(item.id, event: item.event, occurredAt: item.occurredAt,
                                                          in: connection) { id, event, occurredAt in
                    try Self.apply(id, event, occurredAt, steps: steps, prepared: item.preparations, now: now,
                                   counts: &counts, in: connection)
                }
                return outcome.map { InboundItemResult(outcome: $0, counts: counts) }
            }, completion: collector.receive)
        }
        collector.expect(prepared.count)
        collector.listingCommitted()
    }

    /// Whether recording a normalizer pass may apply its items in the same writer operations
    /// (``recordAndApply(_:from:now:completion:)``): while the applier runs, on the embedded engine, whose one writer
    /// runs the operations in the order queued.
    public var appliesWhileRecording: Bool { isRunning && !database.writesRunSideBySide }

    /// One item through the steps, with what they prepared for it, adding its counters to the given ones.
    typealias RunSteps = (_ id: Int64, _ event: InboundEvent, _ occurredAt: Int64?, _ prepared: Preparations?,
                          _ counts: inout MetricCounts, _ created: inout Set<Int64>,
                          _ connection: any DatabaseConnection) throws -> InboxItemPass.Verdict

    /// Records a normalizer pass of logged deliveries read from the log at `cursor` and applies the items the steps
    /// take, runs of consecutive deliveries in one writer operation each, every delivery moving the log cursor past
    /// it: the items are inserted already applied (never pending, so no polling pass takes them), with the events the
    /// normalizer decoded, and a crash leaves each delivery either wholly done, cursor included, or to be read again.
    /// When anything in a run fails, its deliveries run again each in an operation of its own. An operation whose
    /// delivery before it did not commit fails too (``CursorMovedError``), so nothing is skipped; a delivery that
    /// cannot be recorded (a constraint or a bug) is then recorded as failed alone. `completion` gets each delivery's
    /// outcome (nil: not committed) and the first error, after the last commit.
    public func recordAndApply(_ normalizations: [DeliveryNormalization], from cursor: LogPosition, now recordedAt: Int64,
                               completion: @escaping @Sendable ([NormalizationOutcome?], (any Error)?) -> Void) {
        guard !normalizations.isEmpty else { return completion([], nil) }
        let (steps, now, kinds, series) = (stepsByKind, clock(), recordingKinds, seriesByKind)
        let run: RunSteps = { id, event, occurredAt, prepared, counts, created, connection in
            try Self.apply(id, event, occurredAt, steps: steps, prepared: prepared, now: now, counts: &counts,
                           created: &created, in: connection)
        }
        let applications = normalizations.map {
            RecordingApplication($0, kinds: kinds, series: series, prepare: { event, occurredAt in
                Self.prepare(event, occurredAt: occurredAt, steps: steps)
            }, run: run)
        }
        let positions = normalizations.reduce(into: [cursor]) { $0.append($1.delivery.logPosition ?? $0.last!) }
        let results = RecordingResults(count: normalizations.count)
        passLock.withLock { passesRunning += 1 }
        let received: @Sendable (Int, Result<NormalizationOutcome, any Error>) -> Void = { [self] index, result in
            guard let all = results.receive(index, result) else { return }
            var pass = InboundPass()
            for (result, application) in zip(all, applications) where (try? result.get()) != nil {
                pass.add(application.pass)
            }
            Self.count(pass, storeErrors: 0, in: metrics)
            passLock.withLock { passesRunning -= 1 }
            finishRecording(all, normalizations, positions: positions, now: recordedAt, completion: completion)
        }
        let runs = passLock.withLock { recordingRuns.split(normalizations.count) }
        let together = runs.map {
            RecordingApplication.operation(together: $0, of: normalizations, after: positions, now: recordedAt,
                                           applications: applications)
        }
        database.write(each: together) { [self] run, result in
            let indices = runs[run]
            guard case .success(let outcomes) = result else {
                // Something in the run failed: its deliveries again, each alone, so only a failing one fails.
                passLock.withLock { recordingRuns.failed() }
                let alone = indices.map {
                    RecordingApplication.operation(normalizations[$0], after: positions[$0], now: recordedAt,
                                                   application: applications[$0])
                }
                return database.write(each: alone) { received(indices.lowerBound + $0, $1) }
            }
            passLock.withLock { recordingRuns.committed() }
            for (index, outcome) in zip(indices, outcomes) { received(index, .success(outcome)) }
        }
    }

    /// After a pass's operations: when the first that failed could not record its delivery and everything before it
    /// committed, records that delivery as failed and moves the cursor past it before answering.
    private func finishRecording(_ results: [Result<NormalizationOutcome, any Error>],
                                 _ normalizations: [DeliveryNormalization], positions: [LogPosition], now: Int64,
                                 completion: @escaping @Sendable ([NormalizationOutcome?], (any Error)?) -> Void) {
        let outcomes = results.map { try? $0.get() }
        guard let failed = results.firstIndex(where: { (try? $0.get()) == nil }),
              case .failure(let error) = results[failed] else { return completion(outcomes, nil) }
        guard let storeError = error as? any DatabaseError, !storeError.isTransient else {
            return completion(outcomes, error)
        }
        let delivery = normalizations[failed].delivery
        database.write(RecordingApplication.failing(delivery, reason: "\(error)", after: positions[failed], now: now)) {
            guard case .success = $0 else { return completion(outcomes, error) }
            completion(outcomes.enumerated().map { $0.offset == failed ? NormalizationOutcome(failed: 1) : $0.element },
                       error)
        }
    }

    /// Records what a pass did in the metrics.
    private static func count(_ pass: InboundPass, storeErrors: Int, in metrics: MetricsRegistry) {
        pass.counts.record(in: metrics)
        // The series keeps its identity-era name: dashboards built on it still count every handled item.
        InboxItemPass.count(pass.tally, as: "gateway_identity_items_total",
                            help: "Inbox items handled by the inbound applier (identity, tickets), by outcome",
                            in: metrics)
        for (series, tally) in pass.consumerTallies {
            InboxItemPass.count(tally, as: series.metric, help: series.help, in: metrics)
        }
        if storeErrors > 0 {
            // Store trouble: those items stay pending and the next pass retries them.
            metrics.increment("gateway_identity_errors_total", help: "Inbound applier passes the store refused")
        }
    }

    /// One pass on one connection, all items inside the caller's transaction (tests use it directly): each item runs
    /// through the steps for its kind until one consumes it, inside the item's savepoint (``InboxItemPass``).
    public static func applyPending(limit: Int, steps: [any InboundItemStep], now: Int64,
                                    in c: any DatabaseConnection) throws -> InboundPass {
        var pass = InboundPass()
        let stepsByKind = byKind(steps)
        pass.tally = try InboxItemPass.run(kinds: kinds(of: steps), limit: limit, in: c) { id, event, occurredAt in
            try apply(id, event, occurredAt, steps: stepsByKind, now: now, counts: &pass.counts, in: c)
        }
        return pass
    }

    /// Steps by the item kinds they take, each kind's in the order given.
    typealias StepsByKind = [String: [any InboundItemStep]]

    private static func byKind(_ steps: [any InboundItemStep]) -> StepsByKind {
        steps.reduce(into: [:]) { byKind, step in
            for kind in step.kinds { byKind[kind, default: []].append(step) }
        }
    }

    /// The pending item kinds `steps` take: those of the steps without a consumer of their own.
    private static func kinds(of steps: [any InboundItemStep]) -> [String] {
        steps.filter { $0.consumerSeries == nil }.reduce(into: Set<String>()) { $0.formUnion($1.kinds) }.sorted()
    }

    /// What the steps for an item's kind prepared for it (``InboundItemStep/prepare(_:occurredAt:)``), one entry per
    /// step in run order; nil when none prepared anything.
    typealias Preparations = [(any Sendable)?]

    /// Runs `event` through the preparations of the steps for its kind, off the writer.
    static func prepare(_ event: InboundEvent, occurredAt: Int64?, steps: StepsByKind) -> Preparations? {
        let preparations = (steps[event.kind] ?? []).map { $0.prepare(event, occurredAt: occurredAt) }
        return preparations.contains { $0 != nil } ? preparations : nil
    }

    /// Runs one item through the steps for its kind until one consumes it; adds its counters to `counts`.
    static func apply(_ id: Int64, _ event: InboundEvent, _ occurredAt: Int64?, steps: StepsByKind,
                      prepared: Preparations? = nil, now: Int64, counts: inout MetricCounts,
                      in c: any DatabaseConnection) throws -> InboxItemPass.Verdict {
        var created = Set<Int64>()
        return try apply(id, event, occurredAt, steps: steps, prepared: prepared, now: now, counts: &counts,
                         created: &created, in: c)
    }

    /// The same, after earlier items of the same writer operation: `created` holds the customers (row ids) they
    /// created and touched nothing else of — a delivery's `contact` item, which only the identity phase takes, ahead
    /// of its message. The later steps take such a customer as new (``InboundItem/contactIsNew``) and skip looking
    /// for tickets, surveys, campaign messages or outlet links it cannot have yet. `prepared`: what the steps prepared
    /// for it (``prepare(_:occurredAt:steps:)``), each step's handed to it as ``InboundItem/prepared``.
    static func apply(_ id: Int64, _ event: InboundEvent, _ occurredAt: Int64?, steps: StepsByKind,
                      prepared: Preparations? = nil, now: Int64, counts: inout MetricCounts,
                      created: inout Set<Int64>, in c: any DatabaseConnection) throws -> InboxItemPass.Verdict {
        var item = InboundItem(id: id, kind: event.kind, event: event, occurredAt: occurredAt, now: now)
        var identifiesOnly = true
        for (index, step) in (steps[item.kind] ?? []).enumerated() {
            identifiesOnly = identifiesOnly && step.phase == .identify
            item.prepared = prepared?[index]
            if try step.apply(&item, in: c) == .consumed { item.applied = true; break }
            if step.phase == .identify, let row = item.contactRowID, created.contains(row) { item.contactIsNew = true }
        }
        if let row = item.contactRowID {
            if item.contactIsNew && identifiesOnly { created.insert(row) } else { created.remove(row) }
        }
        // Only counted once the item's savepoint holds: a failed item's counters never reach the metrics.
        counts.merge(item.counts)
        return item.applied ? .applied : .ignored
    }
}

/// What one applier pass did.
public struct InboundPass: Sendable {
    public var tally = InboxItemPass.Tally()
    /// Items of kinds with a consumer of their own, by that consumer's series (not in ``tally``).
    public var consumerTallies: [InboxItemSeries: InboxItemPass.Tally] = [:]
    /// Counters the steps gathered for the committed items.
    public var counts = MetricCounts()

    public init() {}

    public var applied: Int { tally.applied }
    public var ignored: Int { tally.ignored }
    public var failed: Int { tally.failed }
    public var handled: Int { tally.total }

    mutating func add(_ item: InboundItemResult) {
        tally.add(item.outcome)
        counts.merge(item.counts)
    }

    public mutating func add(_ other: InboundPass) {
        tally.add(other.tally)
        for (series, other) in other.consumerTallies { consumerTallies[series, default: .init()].add(other) }
        counts.merge(other.counts)
    }
}
