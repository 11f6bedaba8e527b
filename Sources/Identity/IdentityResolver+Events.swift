import Delivery
import Storage

/// The result of applying one inbound event to the identity store.
public struct IdentityApplication: Sendable, Equatable {
    /// Public id of the customer the event landed on; nil when it identifies nobody in this mode.
    public let contactID: String?
    /// Its `customers` row id.
    public let customerID: Int64?
    /// Whether that customer was created by this event.
    public let contactCreated: Bool
    public let counters: IdentityCounters
}

extension IdentityResolver {
    /// Applies one inbound event (contact snapshot, message sender, identity change or consent) with its audit rows and outbox
    /// events, on `connection` inside the caller's transaction (a write unit of work). Status events identify
    /// nobody. Used by ``IdentityStep``, the tests and the benchmark.
    /// - Parameters:
    ///   - occurredAt: source time for contact snapshots, which carry none of their own (unix seconds).
    ///   - claim: the event's claim as read before (``IdentityClaimReading``, off the writer); nil: read here.
    ///   - now: unix milliseconds, the time of the changes (audit rows, outbox events).
    public func apply(_ event: InboundEvent, occurredAt: Int64?, claim: IdentityClaimReading? = nil, actor: String,
                      now: Int64, in connection: any DatabaseConnection) throws -> IdentityApplication {
        let changes = IdentityChangeSet(connection: connection, actor: actor, events: events, now: now)
        let claim = claim ?? IdentityClaimReading(event, occurredAt: occurredAt)
        let customer: Int64?
        switch event {
        case .contact, .echo, .call:
            customer = try resolve(claim, in: changes)
        case .message(let message):
            customer = try resolve(claim, in: changes)
            if let customer { try CustomerAcquisitions.record(message, customerID: customer, in: changes) }
        case .identityChange(let change):
            customer = try IdentityChangeApplier(resolver: self).apply(change, in: changes)
        case .preference(let preference):
            customer = try resolve(claim, in: changes)
            if let customer { try CustomerConsents.record(preference, customerID: customer, source: "whatsapp",
                                                          in: changes) }
        case .status, .templateUpdate, .accountUpdate:
            customer = nil
        }
        try changes.finish()
        return IdentityApplication(contactID: try customer.map { try changes.publicID(of: $0) }, customerID: customer,
                                   contactCreated: customer.map { changes.createdPublicIDs[$0] != nil } ?? false,
                                   counters: changes.counters)
    }

    /// The customer `claim` resolves to; nil when the event claims nobody (a message naming no sender) or the claim
    /// identifies nobody in this mode. An unusable identifier fails the item (``IdentityInputError``).
    private func resolve(_ claim: IdentityClaimReading, in changes: IdentityChangeSet) throws -> Int64? {
        guard let claim = try claim.claim?.get() else { return nil }
        return try resolve(claim, in: changes)?.customerID
    }
}

/// What an inbound event claims about who its customer is (the sender of a message or echo, a contact snapshot, the
/// customer on a call, the one who stopped or resumed messages), read from the event alone — the identity step reads
/// it off the writer (``IdentityStep/prepare(_:occurredAt:)``).
public struct IdentityClaimReading: Sendable {
    /// The claim, or the unusable identifier in it; nil when the event claims nothing (a message, echo or call naming
    /// no customer; identity changes, statuses, updates).
    let claim: Result<IdentityClaim, IdentityInputError>?

    /// - Parameter occurredAt: the item's source time, which a contact snapshot's claim takes (unix seconds; 0 = none).
    public init(_ event: InboundEvent, occurredAt: Int64?) {
        do throws(IdentityInputError) {
            switch event {
            case .contact(let contact):
                claim = .success(try IdentityClaim(contact: contact, at: occurredAt ?? 0))
            case .message(let message) where message.senderPhone != nil || message.senderUserID != nil,
                 .echo(let message) where message.senderPhone != nil || message.senderUserID != nil:
                claim = .success(try IdentityClaim(sender: message))
            case .call(let call) where call.customerPhone != nil || call.customerUserID != nil:
                claim = .success(try IdentityClaim(call: call))
            case .preference(let preference):
                claim = .success(try IdentityClaim(preference: preference))
            case .message, .echo, .call, .identityChange, .status, .templateUpdate, .accountUpdate:
                claim = nil
            }
        } catch {
            claim = .failure(error)
        }
    }
}
