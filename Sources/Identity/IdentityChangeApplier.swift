import Delivery
import GatewayKit
import Storage

/// Applies WhatsApp's identity system messages without leaving an orphan or a duplicate:
///
/// - `user_changed_number`: every customer known by the previous or new phone or BSUID is the same person and is
///   merged into one: the customer of the previous BSUID (else of the new BSUID, else the oldest phone owner). The previous BSUID is retired (kept for history and for late messages, releasing its phone),
///   the previous phone stays an unbound identifier (editable again), and the new phone is bound to the new BSUID
///   (or just added, when the notice carries no BSUID).
/// - `user_changed_user_id`: the previous BSUID is retired and its phone, if any, moves to the new BSUID.
///
/// Identifiers a notice names that are not known yet are created (retired, for a previous BSUID), so messages that
/// arrive late, before or after the notice, land on the same customer. In phone-only mode only phones matter:
/// a number change adds the new phone to the customer; a BSUID change is ignored.
struct IdentityChangeApplier {
    let resolver: IdentityResolver

    /// The customer the change ended on, or nil when the change means nothing in this mode.
    func apply(_ change: InboundIdentityChange, in changes: IdentityChangeSet) throws -> Int64? {
        let multi = resolver.mode == .multiBSUID
        let previousPhone = try change.previousPhone.map { try canonicalPhone($0, "previous_phone") }
        let newPhone = try change.newPhone.map { try canonicalPhone($0, "new_phone") }
        let previousBSUID = multi ? try change.previousUserID.map { try canonicalBSUID($0, "previous_user_id") } : nil
        let newBSUID = multi ? try change.newUserID.map { try canonicalBSUID($0, "new_user_id") } : nil
        if change.change == .userID && !multi { return nil }
        guard previousPhone != nil || newPhone != nil || previousBSUID != nil || newBSUID != nil else { return nil }

        let customer = try survivor(phones: [previousPhone, newPhone], bsuids: [previousBSUID, newBSUID],
                                    at: change.timestamp, in: changes)
        let c = changes.connection
        let claim = IdentityClaim(at: change.timestamp)
        var movingPhone: String?
        // Only a BSUID change keeps the number: the new BSUID inherits the phone, now and from late claims.
        let successor = change.change == .userID ? newBSUID : nil
        if let previousBSUID {
            let node = try CustomerTables.node(bsuid: previousBSUID, in: c)
            if let node, !node.retired {
                movingPhone = node.phone
                try CustomerTables.retire(node.id, at: change.timestamp, phoneSuccessor: successor, now: changes.now,
                                          in: c)
                try changes.audit(customer, "bsuid.retired", subject: previousBSUID,
                                  before: node.phone.map { ["phone": .string($0)] },
                                  after: newBSUID.map { ["replaced_by": .string($0)] })
            } else if node == nil {
                let nodeID = try resolver.attachNode(previousBSUID, to: customer, claim: claim, retired: true,
                                                     in: changes)
                try CustomerTables.retire(nodeID, at: change.timestamp, phoneSuccessor: successor, now: changes.now,
                                          in: c)
            }
        }
        if let previousPhone { try PhoneBinding.ensureOwned(previousPhone, by: customer, in: changes) }
        // A number change binds the new number; a BSUID change carries the number the retired BSUID held.
        let phoneForNew = change.change == .phoneNumber ? newPhone : movingPhone
        if let newBSUID {
            let nodeID = try CustomerTables.node(bsuid: newBSUID, in: c)?.id
                ?? resolver.attachNode(newBSUID, to: customer, claim: claim, retired: false, in: changes)
            if let phoneForNew {
                try PhoneBinding.bind(phoneForNew, toNode: nodeID, at: change.timestamp, policy: .latestWinsAndMerge,
                                      in: changes)
            }
        } else if let newPhone {
            try PhoneBinding.ensureOwned(newPhone, by: customer, in: changes)
        }
        return customer
    }

    /// Merges every customer already known by one of the identifiers into the first BSUID's customer (the previous
    /// BSUID's, else the new one's), else into the oldest phone owner; creates one when none is known.
    private func survivor(phones: [String?], bsuids: [String?], at: Int64,
                          in changes: IdentityChangeSet) throws -> Int64 {
        let c = changes.connection
        var bsuidOwners: [Int64] = []
        for bsuid in bsuids.compactMap({ $0 }) {
            if let node = try CustomerTables.node(bsuid: bsuid, in: c) { bsuidOwners.append(node.customerID) }
        }
        var phoneOwners: [Int64] = []
        for phone in phones.compactMap({ $0 }) {
            if let owner = try CustomerTables.owner(of: .phone, phone, in: c) { phoneOwners.append(owner) }
        }
        if let merged = try CustomerMerger.merge(bsuidOwners + phoneOwners, keeping: bsuidOwners.first, in: changes) {
            changes.counters.mergesAvoided += 1
            return merged
        }
        return try resolver.createCustomer(IdentityClaim(at: at), in: changes)
    }

    private func canonicalPhone(_ value: String, _ field: String) throws -> String {
        guard let phone = IdentifierFormat.phone(value) else { throw IdentityInputError(field: field, value: value) }
        return phone
    }

    private func canonicalBSUID(_ value: String, _ field: String) throws -> String {
        guard let bsuid = IdentifierFormat.bsuid(value) else { throw IdentityInputError(field: field, value: value) }
        return bsuid
    }
}
