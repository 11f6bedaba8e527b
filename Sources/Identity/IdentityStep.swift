import Delivery
import Storage

/// The first inbound step: applies `contact`, `message` (the sender), `echo` (the customer a message from the WhatsApp
/// Business app went to), `call` (the customer on it), `identity_change` and `preference` (a customer's stop or resume
/// of marketing messages) items to the customer identity store (``IdentityResolver``) and hands the resolved customer
/// to the later steps as ``InboundItem/contactID``.
public struct IdentityStep: InboundItemStep {
    public var phase: InboundPhase { .identify }
    public let resolver: IdentityResolver
    public var kinds: Set<String> { ["contact", "message", "echo", "call", "identity_change", "preference"] }

    public init(mode: IdentityMode, events: IdentityEventRoute) {
        resolver = IdentityResolver(mode: mode, events: events)
    }

    /// The event's identity claim, read and validated off the writer (``IdentityClaimReading``).
    public func prepare(_ event: InboundEvent, occurredAt: Int64?) -> (any Sendable)? {
        IdentityClaimReading(event, occurredAt: occurredAt)
    }

    public func apply(_ item: inout InboundItem, in connection: any DatabaseConnection) throws -> InboundStepResult {
        let application = try resolver.apply(item.event, occurredAt: item.occurredAt,
                                             claim: item.prepared(as: IdentityClaimReading.self),
                                             actor: "whatsapp:item:\(item.id)", now: item.now, in: connection)
        application.counters.add(to: &item.counts)
        item.contactID = application.contactID
        item.contactRowID = application.customerID
        item.contactIsNew = application.contactCreated
        if application.contactID != nil { item.applied = true }
        return .next
    }
}
