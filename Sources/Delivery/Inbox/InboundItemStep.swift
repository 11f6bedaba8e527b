import GatewayKit
import Storage

/// One inbox item as the steps of the ``InboundItemApplier`` see it, with what earlier steps learned about it.
public struct InboundItem: Sendable {
    /// The `inbox_items` row id (audit actors name it: `whatsapp:item:<id>`).
    public let id: Int64
    /// The item kind (`message`, `contact`, `identity_change`).
    public let kind: String
    public let event: InboundEvent
    /// Source time for events without one of their own (contact snapshots), unix seconds.
    public let occurredAt: Int64?
    /// The applier's clock when the pass started, unix milliseconds.
    public let now: Int64
    /// The customer (`customers.public_id`, `cus_…`) the identity step resolved the sender to; nil when the item
    /// identifies nobody in the current identity mode (e.g. a BSUID-only sender with multi-BSUID off).
    public var contactID: String?
    /// Set by the identity step when it created that customer for this item: nothing of theirs (tickets, surveys,
    /// campaign messages, outlet links) exists yet, so later steps skip looking for it.
    public var contactIsNew = false
    /// The `customers` row id of ``contactID``, set with it by the identity step.
    public var contactRowID: Int64?
    /// The conversation ticket the message is filed on, set by the ticket step (also when it was filed before); nil
    /// before that step, or when it filed nothing. Later steps use it instead of looking the message up again.
    public var ticketID: Int64?
    /// The kind of that ticket (`lead`, `support`), set with it by the ticket step when it filed the message now; nil
    /// when not known (a later step reads the ticket).
    public var ticketKind: String?
    /// The customer's language on that ticket (`en`, `ms`; nil = none recognised), set with ``ticketKind``: a later
    /// step that writes to the customer in it need not read the ticket for it.
    public var ticketLanguage: String?
    /// That ticket's status once the message was filed on it (`open`, unless a reaction was attached to a ticket as it
    /// was), set with ``ticketKind``.
    public var ticketStatus: String?
    /// That ticket's customer (`cus_…`; nil for a sender the identity mode resolves to nobody), set with
    /// ``ticketKind``.
    public var ticketContactID: String?
    /// That ticket's outlet resolution as the ticket step found it (`linked`, `ambiguous`, `unlinked`; nil = not
    /// looked at yet), set with ``ticketKind`` for a ticket the message did not open: the outlet step need not read
    /// the ticket for it.
    public var ticketOutletStatus: String?
    /// Set by the ticket step when this message opened that ticket: it is open, this is its only customer message and
    /// nothing was found for it yet (no outlet, no lead), so later steps skip reading what they would find.
    public var ticketOpened = false
    /// The queue a ticket opened for this message goes to, set by an earlier step that knows what the message is
    /// about (a reply to a renewal reminder → the renewals team's queue); nil = the classifier's queue. A message
    /// filed on a ticket that is already going on leaves that ticket's queue as it is.
    public var ticketQueue: String?
    /// What the running step's ``InboundItemStep/prepare(_:occurredAt:)`` made of the item off the writer, set by the
    /// applier before each step runs; nil when the item was not prepared (read back by a polling pass) or the step
    /// prepares nothing: the step then works it out itself, with the same result (``prepared(as:)``).
    public var prepared: (any Sendable)?
    /// Set by a step that changed something: the item is then marked `applied`, otherwise `ignored`.
    public var applied = false
    /// Counters to add to `/metrics` once the item's changes are committed (discarded with a poison item's changes).
    public var counts = MetricCounts()

    public init(id: Int64, kind: String, event: InboundEvent, occurredAt: Int64?, now: Int64) {
        self.id = id
        self.kind = kind
        self.event = event
        self.occurredAt = occurredAt
        self.now = now
    }

    /// The running step's prepared value, when there is one of type `T`.
    public func prepared<T>(as type: T.Type) -> T? { prepared as? T }
}

/// What a step tells the applier after it ran.
public enum InboundStepResult: Sendable, Equatable {
    /// Let the later steps see the item too.
    case next
    /// The item is fully handled (e.g. a CSAT answer or an opt-out): the later steps do not see it.
    case consumed
}

/// When in an item's pass a step runs. The applier runs the steps phase by phase; within a phase, in the order the
/// features are listed in the app. Each step declares its phase, so where it runs is said once, beside what it does.
public enum InboundPhase: Int, Sendable, Comparable, CaseIterable {
    /// Who sent it: resolves ``InboundItem/contactID`` (the identity step).
    case identify
    /// Messages that are answers to something the gateway asked (a CSAT rating, an outlet pick, a STOP or RENEW to a
    /// reminder): a step takes what is its own and answers ``InboundStepResult/consumed``, or notes a fact for later
    /// steps (``InboundItem/ticketQueue``).
    case consume
    /// Files what is left on a conversation ticket (sets ``InboundItem/ticketID``).
    case file
    /// Works on what was filed (resolving the ticket's outlet).
    case enrich

    public static func < (lhs: InboundPhase, rhs: InboundPhase) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One stage of applying an inbox item, run by ``InboundItemApplier`` in phase order inside the item's savepoint on
/// the single writer: a step sees the changes of the steps before it, and if any step throws, the changes of all of
/// them are rolled back and the item alone is marked failed with the error.
public protocol InboundItemStep: Sendable {
    /// When in the pass the step runs.
    var phase: InboundPhase { get }
    /// The item kinds the step is shown; the applier reads pending items of every kind one of its steps names (except
    /// those of a step with a ``consumerSeries``).
    var kinds: Set<String> { get }
    /// For kinds with a consumer of their own that polls for their pending items (WhatsApp statuses): the series that
    /// consumer counts its items in. The applier then takes such items only as they are recorded (pending ones stay
    /// that consumer's) and counts them in that series rather than its own, so the series counts the same items
    /// whichever applied them. nil (the default): the applier's own kinds, which its polling passes take too.
    var consumerSeries: InboxItemSeries? { get }
    /// What the step can make of an event without the database or earlier steps (parsing, validation, classifying a
    /// text), worked out before the item's writer operation is queued, on the thread that hands the items over (the
    /// normalizer's), so the single writer runs prepared work only. ``apply(_:in:)`` finds it in
    /// ``InboundItem/prepared``, and works it out itself when it is absent (an item read back by a polling pass):
    /// preparing must change nothing but where the work runs. nil (the default): nothing to prepare.
    /// - Parameter occurredAt: the item's source time (``InboundItem/occurredAt``).
    func prepare(_ event: InboundEvent, occurredAt: Int64?) -> (any Sendable)?
    /// Applies the item on `connection`, inside the caller's transaction.
    func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult
}

extension InboundItemStep {
    public var consumerSeries: InboxItemSeries? { nil }
    public func prepare(_ event: InboundEvent, occurredAt: Int64?) -> (any Sendable)? { nil }
}

/// A counter of inbox items by outcome, `metric{outcome}` (``InboxItemPass/count(_:as:help:in:)``).
public struct InboxItemSeries: Sendable, Hashable {
    public let metric: String
    public let help: String

    public init(metric: String, help: String) { (self.metric, self.help) = (metric, help) }
}
