import GatewayKit
import Storage

/// Which identity model is live (`MULTI_BSUID_ENABLED`).
public enum IdentityMode: Sendable, Equatable {
    /// Off (default): today's behaviour, one customer per phone. BSUIDs are not stored; a claim without a phone
    /// identifies nobody and is ignored.
    case phoneOnly
    /// On: customers own many BSUID nodes; lookup priority BSUID → phone.
    case multiBSUID

    public init(enabled: Bool) { self = enabled ? .multiBSUID : .phoneOnly }
}

/// Who a resolution found or made.
public struct ResolvedCustomer: Sendable, Equatable {
    public enum Outcome: String, Sendable { case created, matchedByBSUID = "matched_bsuid", matchedByPhone = "matched_phone" }
    public let customerID: Int64
    public let outcome: Outcome
}

/// Resolves an inbound identity claim to one customer, creating or updating identity nodes (lookup priority
/// BSUID → phone; update when the BSUID is known, create otherwise):
///
/// 1. BSUID known → that customer; the node is updated (username, parent, phone added if new).
/// 2. BSUID new, phone known → a new BSUID node under the phone's customer, and the phone moves to it.
/// 3. Neither known → a new customer with a new node (and the phone bound to it, if given).
/// 4. No BSUID (legacy phone-only contact) → the phone's customer, or a new customer owning the phone (unbound).
///
/// Usernames are node attributes and never match anyone: the same username on different BSUIDs is two identities.
/// A phone is bound to one BSUID at a time; when two BSUIDs claim it, the later claim (source time, then BSUID order
/// as a tie-break) wins, so the result does not depend on arrival order. A phone owned by one customer and claimed by
/// another's BSUID proves they are one person: the phone's customer is merged into the BSUID's, so a known BSUID keeps
/// its customer id (WhatsApp is the authority; the contact API instead refuses such a write with 409). Runs inside the caller's write transaction (the single writer), which is what makes
/// two simultaneous deliveries for one new user resolve to one customer — on PostgreSQL, where transactions run side
/// by side, claims naming the same BSUID or phone take turns (``DatabaseConnection/serialize(on:)``); UNIQUE
/// constraints back that up.
public struct IdentityResolver: Sendable {
    public let mode: IdentityMode
    /// Whether identity changes are enqueued for the CRM or only counted.
    public let events: IdentityEventRoute

    public init(mode: IdentityMode, events: IdentityEventRoute) {
        self.mode = mode
        self.events = events
    }

    /// Applies `claim`; nil when the claim identifies nobody in this mode (phone-only mode, no phone).
    func resolve(_ claim: IdentityClaim, in changes: IdentityChangeSet) throws -> ResolvedCustomer? {
        let c = changes.connection
        try c.serialize(on: [claim.bsuid.map { "identity:bsuid:\($0)" }, claim.phone.map { "identity:phone:\($0)" }]
            .compactMap { $0 })
        if mode == .multiBSUID, let bsuid = claim.bsuid {
            let found = try CustomerTables.nodeWithCustomer(bsuid: bsuid, orOwnerOf: claim.phone, in: c)
            if let (node, stored) = found.known {
                changes.counters.mergesAvoided += 1
                changes.readPublicIDs[stored.id] = stored.publicID
                let merges = changes.counters.customersMerged
                let customer = try update(node, with: claim, in: changes)
                // A merge may have renamed the customer since it was read.
                try refreshName(customer, claim, stored: changes.counters.customersMerged == merges ? stored : nil,
                                in: changes)
                return ResolvedCustomer(customerID: customer, outcome: .matchedByBSUID)
            }
            guard let customer = found.phoneOwner else {
                return ResolvedCustomer(customerID: try createCustomer(bsuid, claim, in: changes), outcome: .created)
            }
            changes.counters.mergesAvoided += 1
            try refreshName(customer, claim, in: changes)
            let nodeID = try attachNode(bsuid, to: customer, claim: claim, retired: false, in: changes)
            if let phone = claim.phone {
                try PhoneBinding.bind(phone, toNode: nodeID, at: claim.at, policy: .latestWinsAndMerge, in: changes)
            }
            return ResolvedCustomer(customerID: customer, outcome: .matchedByPhone)
        }
        guard let phone = claim.phone else { return nil }
        if let owner = try CustomerTables.owner(of: .phone, phone, in: c) {
            changes.counters.mergesAvoided += 1
            try refreshName(owner, claim, in: changes)
            return ResolvedCustomer(customerID: owner, outcome: .matchedByPhone)
        }
        let customer = try createCustomer(claim, in: changes)
        try CustomerTables.insertIdentifier(.phone, phone, customerID: customer, now: changes.now, in: c)
        try changes.audit(customer, "phone.added", subject: phone, after: .string(phone))
        return ResolvedCustomer(customerID: customer, outcome: .created)
    }

    /// Brings a known node up to date with a claim; returns the node's (possibly merged) customer.
    private func update(_ node: BSUIDNode, with claim: IdentityClaim, in changes: IdentityChangeSet) throws -> Int64 {
        let c = changes.connection
        if let username = claim.username, username != node.username, claim.at >= node.usernameAt {
            try CustomerTables.setUsername(node.id, username: username, at: claim.at, now: changes.now, in: c)
            try changes.audit(node.customerID, "bsuid.username_changed", subject: node.bsuid,
                              before: node.username.map(JSONValue.string), after: .string(username))
        }
        if let parent = claim.parentBSUID, parent != node.parentBSUID {
            try CustomerTables.setParent(node.id, parent: parent, in: c)
        }
        guard let phone = claim.phone else { return node.customerID }
        let merges = changes.counters.customersMerged
        try PhoneBinding.bind(phone, to: node, at: claim.at, policy: .latestWinsAndMerge, in: changes)
        // Only a merge can have moved the node to another customer.
        guard changes.counters.customersMerged != merges else { return node.customerID }
        return try CustomerTables.node(bsuid: node.bsuid, in: c)?.customerID ?? node.customerID
    }

    /// A new customer for a claim nobody matched.
    func createCustomer(_ claim: IdentityClaim, in changes: IdentityChangeSet) throws -> Int64 {
        let created = try CustomerTables.insertCustomer(name: claim.displayName, nameAt: claim.at, now: changes.now,
                                                        in: changes.connection)
        changes.createdPublicIDs[created.id] = created.publicID
        changes.counters.customersCreated += 1
        try changes.audit(created.id, "customer.created", subject: created.publicID,
                          after: claim.displayName.map(JSONValue.string))
        return created.id
    }

    /// Rule 3 in one go (the hot path for new users): customer, phone and node with the phone bound, one audit row.
    private func createCustomer(_ bsuid: String, _ claim: IdentityClaim, in changes: IdentityChangeSet) throws -> Int64 {
        let c = changes.connection
        let created = try CustomerTables.insertCustomer(name: claim.displayName, nameAt: claim.at, now: changes.now,
                                                        in: c)
        if let phone = claim.phone {
            try CustomerTables.insertIdentifier(.phone, phone, customerID: created.id, now: changes.now, in: c)
        }
        _ = try CustomerTables.insertNode(customerID: created.id, bsuid: bsuid, parent: claim.parentBSUID,
                                          username: claim.username, phone: claim.phone, at: claim.at, retired: false,
                                          now: changes.now, in: c)
        changes.createdPublicIDs[created.id] = created.publicID
        changes.counters.customersCreated += 1
        changes.counters.bsuidsAttached += 1
        var after: [String: JSONValue] = ["bsuid": .string(bsuid)]
        after.put("name", claim.displayName)
        after.put("username", claim.username)
        after.put("phone", claim.phone)
        try changes.audit(created.id, "customer.created", subject: created.publicID, after: .object(after))
        return created.id
    }

    /// Adds a BSUID node (active, or already retired when a change notice names it first) to a customer.
    func attachNode(_ bsuid: String, to customer: Int64, claim: IdentityClaim, retired: Bool,
                    in changes: IdentityChangeSet) throws -> Int64 {
        let nodeID = try CustomerTables.insertNode(customerID: customer, bsuid: bsuid, parent: claim.parentBSUID,
                                                   username: claim.username, at: claim.at, retired: retired,
                                                   now: changes.now, in: changes.connection)
        changes.counters.bsuidsAttached += 1
        var after: [String: JSONValue] = ["bsuid": .string(bsuid)]
        after.put("username", claim.username)
        if retired { after["retired"] = .bool(true) }
        try changes.audit(customer, "bsuid.attached", subject: bsuid, after: .object(after))
        return nodeID
    }

    /// Gives the customer the claim's name (latest wins); `stored`: the customer's row as read in this operation, when
    /// nothing has changed its name since (no statement when it would not change).
    private func refreshName(_ customer: Int64, _ claim: IdentityClaim, stored: StoredCustomer? = nil,
                             in changes: IdentityChangeSet) throws {
        guard let name = claim.displayName else { return }
        if let stored, stored.id == customer, !stored.nameChanges(to: name, at: claim.at) { return }
        if try CustomerTables.updateName(customer, name: name, at: claim.at, now: changes.now, in: changes.connection) {
            try changes.audit(customer, "customer.name_changed", subject: nil, after: .string(name))
        }
    }
}
