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
    ///   - now: unix milliseconds, the time of the changes (audit rows, outbox events).
    public func apply(_ event: InboundEvent, occurredAt: Int64?, actor: String, now: Int64,
                      in connection: any DatabaseConnection) throws -> IdentityApplication {
        let changes = IdentityChangeSet(connection: connection, actor: actor, events: events, now: now)
        let customer: Int64?
        switch event {
        case .contact(let contact):
            customer = try resolve(try IdentityClaim(contact: contact, at: occurredAt ?? 0), in: changes)?.customerID
        case .message(let message) where message.senderPhone != nil || message.senderUserID != nil:
            customer = try resolve(try IdentityClaim(sender: message), in: changes)?.customerID
            if let customer { try CustomerAcquisitions.record(message, customerID: customer, in: changes) }
        case .echo(let message) where message.senderPhone != nil || message.senderUserID != nil:
            customer = try resolve(try IdentityClaim(sender: message), in: changes)?.customerID
        case .call(let call) where call.customerPhone != nil || call.customerUserID != nil:
            customer = try resolve(try IdentityClaim(call: call), in: changes)?.customerID
        case .identityChange(let change):
            customer = try IdentityChangeApplier(resolver: self).apply(change, in: changes)
        case .preference(let preference):
            customer = try resolve(try IdentityClaim(preference: preference), in: changes)?.customerID
            if let customer { try CustomerConsents.record(preference, customerID: customer, source: "whatsapp",
                                                          in: changes) }
        case .message, .echo, .call, .status, .templateUpdate, .accountUpdate:
            customer = nil
        }
        try changes.finish()
        return IdentityApplication(contactID: try customer.map { try changes.publicID(of: $0) }, customerID: customer,
                                   contactCreated: customer.map { changes.createdPublicIDs[$0] != nil } ?? false,
                                   counters: changes.counters)
    }
}
