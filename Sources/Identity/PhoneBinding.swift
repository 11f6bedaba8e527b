import GatewayKit
import Storage

/// Binds phones to BSUID nodes: a phone belongs to one customer and to at most one BSUID of it at a time.
enum PhoneBinding {
    /// What to do when the phone belongs to another customer.
    enum Policy {
        /// Inbound WhatsApp facts: the two customers are one person, merge them.
        case latestWinsAndMerge
        /// Contact API writes: refuse with ``IdentityConflictError`` (409 naming both contacts).
        case refuseConflicts
    }

    /// Binds `phone` to node `nodeID` unless a later claim already holds it (see ``IdentityResolver``).
    static func bind(_ phone: String, toNode nodeID: Int64, at: Int64, policy: Policy,
                     in changes: IdentityChangeSet) throws {
        guard let node = try CustomerTables.node(id: nodeID, in: changes.connection) else { return }
        try bind(phone, to: node, at: at, policy: policy, in: changes)
    }

    /// The same for `node` as the caller has just read it (its phone, customer and retirement as stored).
    static func bind(_ phone: String, to node: BSUIDNode, at: Int64, policy: Policy,
                     in changes: IdentityChangeSet) throws {
        let c = changes.connection
        var node = node
        if node.phone == phone {
            if at > node.phoneAt { try CustomerTables.setPhoneTime(node.id, at: at, in: c) }
            return
        }
        try ensureOwned(phone, by: node.customerID, policy: policy, in: changes)
        node = try CustomerTables.node(id: node.id, in: c) ?? node  // a merge may have moved it
        if node.retired {
            // A late fact about a replaced BSUID: the phone stays the person's, but not the dead node's; after a
            // BSUID change the successor inherits it (unless a later claim holds it).
            guard let heir = try successor(of: node, in: c) else { return }
            node = heir
            if node.phone == phone {
                if at > node.phoneAt { try CustomerTables.setPhoneTime(node.id, at: at, in: c) }
                return
            }
        }
        if let holder = try CustomerTables.node(boundTo: phone, in: c), holder.id != node.id {
            guard policy == .refuseConflicts || isLater(at, node.bsuid, than: holder.phoneAt, holder.bsuid) else {
                return
            }
            try CustomerTables.setPhone(holder.id, phone: nil, at: holder.phoneAt, now: changes.now, in: c)
            try changes.audit(holder.customerID, "phone.unbound", subject: phone, before: .string(holder.bsuid))
        }
        if node.phone != nil, policy == .latestWinsAndMerge, at < node.phoneAt { return }
        try CustomerTables.setPhone(node.id, phone: phone, at: at, now: changes.now, in: c)
        var before: JSONValue?
        if let old = node.phone { before = ["bsuid": .string(node.bsuid), "phone": .string(old)] }
        try changes.audit(node.customerID, "phone.bound", subject: phone, before: before,
                          after: ["bsuid": .string(node.bsuid), "phone": .string(phone)])
    }

    /// The active node that inherits a retired node's phone, following successive BSUID changes.
    private static func successor(of node: BSUIDNode, in c: any DatabaseConnection) throws -> BSUIDNode? {
        var current = node
        for _ in 0..<16 {  // bounded: a corrupt cycle must not hang the writer
            guard let next = try current.phoneSuccessor.flatMap({ try CustomerTables.node(bsuid: $0, in: c) }) else {
                return nil
            }
            if !next.retired { return next }
            current = next
        }
        return nil
    }

    /// Makes `phone` an identifier of `customer` (unbound if new). Owned by another customer: merge (`customer`
    /// survives: it is the customer of the BSUID the phone is given to) or refuse.
    static func ensureOwned(_ phone: String, by customer: Int64, policy: Policy = .latestWinsAndMerge,
                            in changes: IdentityChangeSet) throws {
        let c = changes.connection
        guard let owner = try CustomerTables.owner(of: .phone, phone, in: c) else {
            try CustomerTables.insertIdentifier(.phone, phone, customerID: customer, now: changes.now, in: c)
            try changes.audit(customer, "phone.added", subject: phone, after: .string(phone))
            return
        }
        guard owner != customer else { return }
        switch policy {
        case .latestWinsAndMerge:
            _ = try CustomerMerger.merge([owner, customer], keeping: customer, in: changes)
        case .refuseConflicts:
            throw IdentityConflictError(field: "phone", value: phone,
                                        contactID: try CustomerTables.publicID(of: customer, in: c),
                                        conflictingContactID: try CustomerTables.publicID(of: owner, in: c))
        }
    }

    /// Latest source time wins; equal times fall back to BSUID order so every arrival order picks the same winner.
    private static func isLater(_ at: Int64, _ bsuid: String, than otherAt: Int64, _ otherBSUID: String) -> Bool {
        at != otherAt ? at > otherAt : bsuid > otherBSUID
    }
}

/// An identifier the caller wants on one contact already belongs to another (409 naming both).
public struct IdentityConflictError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let value: String
    public let contactID: String
    public let conflictingContactID: String
    public var description: String {
        "\(field) \(value) already belongs to contact \(conflictingContactID); it cannot be added to contact \(contactID)"
    }
}
