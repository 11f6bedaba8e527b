import Foundation
import GatewayKit
import Storage

/// The inbound applier's part in recording one logged delivery, when recording and applying are one writer operation
/// (the embedded engine): which of its items the steps take, with their events decoded, prepared by the steps
/// (``InboundItemStep/prepare(_:occurredAt:)``) and their payloads written as JSON by the normalizer (off the writer),
/// how to run the steps, and what they did. Each delivery has its own; the writer thread uses it during the operation
/// that records the delivery (its run's, or its own when the run's failed), and the pass reads it after the commit.
final class RecordingApplication: @unchecked Sendable {
    /// Per item of the delivery: its event when the steps take its kind (nil: recorded `pending` for its consumers,
    /// also when it does not decode — the applier's polling pass then fails it with the reason).
    private let events: [InboundEvent?]
    /// Per item of the delivery: what the steps prepared for it (nil: nothing, or a kind they do not take).
    private let preparations: [InboundItemApplier.Preparations?]
    private let payloads: [String]
    private let run: InboundItemApplier.RunSteps
    /// Where items of a kind with a consumer of its own are counted (``InboundItemStep/consumerSeries``).
    private let series: [String: InboxItemSeries]
    /// What the steps did: the items by outcome and their counters.
    private(set) var pass = InboundPass()
    /// The customers its items created and touched nothing else of, for the items after them
    /// (``InboundItemApplier/apply(_:_:_:steps:now:counts:created:in:)``).
    private var created = Set<Int64>()

    /// - Parameter prepare: the steps' preparations of one event, run here for every item the steps take.
    init(_ normalization: DeliveryNormalization, kinds: Set<String>, series: [String: InboxItemSeries],
         prepare: (InboundEvent, _ occurredAt: Int64?) -> InboundItemApplier.Preparations?,
         run: @escaping InboundItemApplier.RunSteps) {
        let items = normalization.result?.items ?? []
        // An item made from an event is taken with it as it is; one given only its payload is read from it.
        events = items.map { kinds.contains($0.kind) ? $0.event ?? (try? InboundEvent(json: $0.payload)) : nil }
        preparations = zip(events, items).map { event, item in event.flatMap { prepare($0, item.occurredAt) } }
        payloads = items.map(\.payloadText)
        self.series = series
        self.run = run
    }

    func event(ofItem index: Int) -> InboundEvent? { events[index] }
    func payload(ofItem index: Int) -> String { payloads[index] }

    /// Whether each item runs in a savepoint of its own: only when the delivery's items, run together first, did not
    /// all succeed (``operation(_:after:now:application:)``).
    private var isolatesItems = false

    /// The delivery's item at `index` (one the steps take: ``event(ofItem:)`` is not nil), just inserted as `applied`
    /// with row `id`, through the steps with what they prepared: together with the delivery's other items
    /// (``InboxItemPass/applyTakenTogether``), or in its own savepoint (``InboxItemPass/applyTaken``) when they run again.
    func apply(item index: Int, id: Int64, occurredAt: Int64?, in connection: any DatabaseConnection) throws {
        guard let event = events[index] else { return }
        var itemCounts = MetricCounts()
        let prepared = preparations[index]
        let steps: InboxItemPass.Apply = { id, event, occurredAt in
            try self.run(id, event, occurredAt, prepared, &itemCounts, &self.created, connection)
        }
        let outcome = isolatesItems
            ? try InboxItemPass.applyTaken(id, in: connection, steps, event: { (event, occurredAt) })
            : try InboxItemPass.applyTakenTogether(id, in: connection, steps, event: { (event, occurredAt) })
        if let series = series[event.kind] {
            pass.consumerTallies[series, default: .init()].add(outcome)
        } else {
            pass.tally.add(outcome)
        }
        if outcome != .failed { pass.counts.merge(itemCounts) }
    }

    /// Forgets what an operation that is running again did the first time.
    func reset() {
        pass = InboundPass()
        created = []
    }

    /// Moves the log cursor from `previous` to the delivery and records it, its items applied together (or each in a
    /// savepoint of its own once ``isolatesItems`` is set), forgetting what an earlier run did.
    private func record(_ normalization: DeliveryNormalization, after previous: LogPosition, now: Int64,
                        in connection: any DatabaseConnection) throws -> NormalizationOutcome {
        reset()
        try LogCursor.move(from: previous, to: normalization.delivery.logPosition ?? previous, in: connection)
        return try InboxTable.record(normalization, now: now, in: connection, applying: self)
    }

    /// The writer operation of one logged delivery: moves the log cursor from `previous` to the delivery (failing with
    /// ``CursorMovedError`` when an earlier operation of the pass did not commit), records it and applies its items —
    /// first all together in one savepoint; when one of them fails, that is undone and they run again, each in a
    /// savepoint of its own, so the failed one is marked failed alone. (Nested right inside the operation's own
    /// savepoint, the first one copies no page a second time.)
    static func operation(_ normalization: DeliveryNormalization, after previous: LogPosition, now: Int64,
                          application: RecordingApplication)
        -> @Sendable (any DatabaseConnection) throws -> NormalizationOutcome {
        { connection in
            application.isolatesItems = false
            do {
                return try connection.savepoint {
                    try application.record(normalization, after: previous, now: now, in: connection)
                }
            } catch is ItemFailedTogether {
                application.isolatesItems = true
                return try application.record(normalization, after: previous, now: now, in: connection)
            }
        }
    }

    /// The writer operation of a run of consecutive deliveries (`indices` of the pass's `normalizations`, whose
    /// `positions` are the cursor before each and `applications` their own), all inside the one savepoint the writer
    /// gives an operation: each moves the cursor and records its delivery, its items applied together. Anything that
    /// fails — an item's step, the cursor, the store — fails the whole operation, which the writer undoes; the pass
    /// then runs those deliveries again, each in an operation of its own (``operation(_:after:now:application:)``).
    /// One savepoint for them all spares each delivery its savepoint's statements, and SQLite's copies of the pages it
    /// changes that the deliveries before it had already changed.
    static func operation(together indices: Range<Int>, of normalizations: [DeliveryNormalization],
                          after positions: [LogPosition], now: Int64, applications: [RecordingApplication])
        -> @Sendable (any DatabaseConnection) throws -> [NormalizationOutcome] {
        { connection in
            try indices.map { index in
                applications[index].isolatesItems = false
                return try applications[index].record(normalizations[index], after: positions[index], now: now,
                                                      in: connection)
            }
        }
    }

    /// The writer operation that records a delivery recording could not (a constraint or a bug) as failed and moves the
    /// cursor past it, so it never blocks the deliveries behind it.
    static func failing(_ delivery: StoredDelivery, reason: String, after previous: LogPosition, now: Int64)
        -> @Sendable (any DatabaseConnection) throws -> Void {
        { connection in
            try LogCursor.move(from: previous, to: delivery.logPosition ?? previous, in: connection)
            try InboxTable.markFailed(delivery, reason: "could not record: \(reason)", now: now, in: connection)
        }
    }
}

/// The results of one pass's delivery operations, in the order queued, as their completions arrive.
final class RecordingResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<NormalizationOutcome, any Error>?]
    private var received = 0

    init(count: Int) { results = Array(repeating: nil, count: count) }

    /// Stores result `index`; every result once the last has arrived, else nil.
    func receive(_ index: Int, _ result: Result<NormalizationOutcome, any Error>)
        -> [Result<NormalizationOutcome, any Error>]? {
        lock.withLock {
            results[index] = result
            received += 1
            return received == results.count ? results.map { $0! } : nil
        }
    }
}
