import Foundation
import Delivery
import GatewayKit
import Storage

/// The contact API's writes (a CRM editing a contact), run on the single writer inside one transaction: every rule is
/// checked as the change is made and any refusal rolls the whole request back, so nothing is half-written. Unlike
/// inbound WhatsApp facts, an API write never merges customers: an identifier owned by another contact is a 409.
public struct ContactEditor: Sendable {
    public let mode: IdentityMode
    /// Whether identity changes are enqueued for the CRM or only counted.
    public let events: IdentityEventRoute
    /// Unix milliseconds: the time of each write.
    private let clock: @Sendable () -> Int64

    public init(mode: IdentityMode, events: IdentityEventRoute, clock: @escaping @Sendable () -> Int64) {
        self.mode = mode
        self.events = events
        self.clock = clock
    }

    /// Applies `patch` to contact `publicID`.
    public func patch(_ publicID: String, _ patch: ContactPatch, actor: String,
                      in c: any DatabaseConnection) throws -> ContactWrite {
        let customer = try customerID(publicID, in: c)
        return try apply(patch, to: customer, in: changeSet(c, actor))
    }

    /// Records a consent choice made outside WhatsApp (an agent's form, a CRM) for `publicID`: `granted` or
    /// `withdrawn` for `category`, with where it was made (`source`), at the editor's clock. Audited and sent to the
    /// CRM like any identity change; the same choice again changes nothing.
    public func recordConsent(_ publicID: String, category: String, granted: Bool, source: String, detail: String?,
                              actor: String, in c: any DatabaseConnection) throws -> ContactWrite {
        let customer = try customerID(publicID, in: c)
        let changes = changeSet(c, actor)
        let choice = InboundPreference(channelID: "api", accountID: nil, category: category,
                                       choice: granted ? .resume : .stop, detail: detail, timestamp: changes.now / 1000)
        try CustomerConsents.record(choice, customerID: customer, source: source, in: changes)
        try CustomerTables.touch(customer, now: changes.now, in: c)
        return try finish(changes, customer: customer, created: false)
    }

    /// Names contact `publicID` with the name the person gave us themselves (a lead answering "what is your name?",
    /// a salesperson typing it in): unlike a WhatsApp profile name it is not replaced by the profile names of later
    /// messages (its time is ``givenNameAt``); an API patch or an erasure still changes it.
    public func recordGivenName(_ name: String, of publicID: String, actor: String,
                                in c: any DatabaseConnection) throws {
        let changes = changeSet(c, actor)
        let customer = try customerID(publicID, in: c)
        try setName(name, of: customer, nameAt: Self.givenNameAt, in: changes)
        _ = try finish(changes, customer: customer, created: false)
    }

    /// The `name_at` of a name the person gave: later than any message's time, so profile names never win over it.
    public static let givenNameAt = Int64.max

    private func setName(_ name: String?, of customer: Int64, nameAt: Int64, in changes: IdentityChangeSet) throws {
        let c = changes.connection
        let before = try c.queryOne("SELECT display_name FROM customers WHERE id = ?", [.integer(customer)])?
            .string("display_name")
        guard before != name else {
            if nameAt == Self.givenNameAt {  // the same name, now given by the person: it stays
                try c.run("UPDATE customers SET name_at = ? WHERE id = ?", [.integer(nameAt), .integer(customer)])
            }
            return
        }
        try c.run("UPDATE customers SET display_name = ?, name_at = ?, updated_at = ? WHERE id = ?",
                  [SQLValue(name), .integer(nameAt), .integer(changes.now), .integer(customer)])
        try changes.audit(customer, "customer.name_changed", subject: nil,
                          before: before.map(JSONValue.string), after: name.map(JSONValue.string))
    }

    private func changeSet(_ connection: any DatabaseConnection, _ actor: String) -> IdentityChangeSet {
        IdentityChangeSet(connection: connection, actor: actor, events: events, now: clock())
    }

    private func apply(_ patch: ContactPatch, to customer: Int64, in changes: IdentityChangeSet,
                       created: Bool = false) throws -> ContactWrite {
        let at = changes.now / 1000
        if let name = patch.name { try setName(name, of: customer, nameAt: at, in: changes) }
        for entry in patch.bsuids ?? [] { try upsert(entry, on: customer, at: at, in: changes) }
        if let phones = patch.phones {
            try replacePhones(phones + (patch.bsuids ?? []).compactMap(\.phone), of: customer, in: changes)
        }
        if let emails = patch.emails { try replaceEmails(emails, of: customer, in: changes) }
        return try finish(changes, customer: customer, created: created)
    }

    /// Enqueues (or counts) the CRM events and reads the contact as it now is.
    private func finish(_ changes: IdentityChangeSet, customer: Int64, created: Bool) throws -> ContactWrite {
        try changes.finish()
        return ContactWrite(contact: try ContactDirectory.contact(id: customer, in: changes.connection) ?? .null,
                            created: created, counters: changes.counters)
    }

    /// `POST /v1/contacts`: a CRM write that names a person by identifiers. Resolution priority BSUID → phone → email:
    /// the first identifier already known picks the contact (no duplicate is created) and the others are added to it;
    /// nothing known creates a contact. Additive: nothing is removed.
    public func upsert(_ patch: ContactPatch, actor: String, in c: any DatabaseConnection) throws -> ContactWrite {
        let changes = changeSet(c, actor)
        var found: Int64?
        for entry in patch.bsuids ?? [] where found == nil {
            found = try CustomerTables.node(bsuid: entry.bsuid, in: c)?.customerID
        }
        for phone in (patch.phones ?? []) + (patch.bsuids ?? []).compactMap(\.phone) where found == nil {
            found = try CustomerTables.owner(of: .phone, phone, in: c)
        }
        for email in patch.emails ?? [] where found == nil {
            found = try CustomerTables.owner(of: .email, email, in: c)
        }
        let customer: Int64
        if let found {
            customer = found
            changes.counters.mergesAvoided += 1
        } else {
            let created = try CustomerTables.insertCustomer(name: nil, nameAt: 0, now: changes.now, in: c)
            changes.createdPublicIDs[created.id] = created.publicID
            changes.counters.customersCreated += 1
            try changes.audit(created.id, "customer.created", subject: created.publicID)
            customer = created.id
        }
        let current = try CustomerTables.identifiers(of: customer, in: c)
        var additive = patch
        additive.phones = current.filter { $0.kind == "phone" }.map(\.value) + (patch.phones ?? [])
        additive.emails = current.filter { $0.kind == "email" }.map(\.value) + (patch.emails ?? [])
        if found != nil, case .some(nil) = patch.name { additive.name = nil }  // a create-or-match never clears a name
        return try apply(additive, to: customer, in: changes, created: found == nil)
    }

    /// Removes BSUID `bsuid` from contact `publicID`; the phone it held stays on the contact and becomes editable.
    public func deleteBSUID(_ publicID: String, _ bsuid: String, actor: String,
                            in c: any DatabaseConnection) throws -> ContactWrite {
        let customer = try customerID(publicID, in: c)
        guard let node = try CustomerTables.node(bsuid: bsuid, in: c), node.customerID == customer else {
            throw GatewayError.notFound("contact \(publicID) has no BSUID \(bsuid)")
        }
        let changes = changeSet(c, actor)
        try CustomerTables.deleteNode(node.id, in: c)
        var before: [String: JSONValue] = ["bsuid": .string(node.bsuid)]
        before.put("username", node.username)
        before.put("phone", node.phone)
        try changes.audit(customer, "bsuid.deleted", subject: bsuid, before: .object(before))
        try CustomerTables.touch(customer, now: changes.now, in: c)
        return try finish(changes, customer: customer, created: false)
    }

    private func customerID(_ publicID: String, in c: any DatabaseConnection) throws -> Int64 {
        let row = try c.queryOne("SELECT id, merged_into FROM customers WHERE public_id = ?", [.text(publicID)])
        guard let row, let id = row.int64("id") else { throw GatewayError.notFound("no contact \(publicID)") }
        return row.int64("merged_into") ?? id
    }

    private func upsert(_ entry: ContactPatch.BSUIDEntry, on customer: Int64, at: Int64,
                        in changes: IdentityChangeSet) throws {
        let c = changes.connection
        let resolver = IdentityResolver(mode: mode, events: events)
        var node = try CustomerTables.node(bsuid: entry.bsuid, in: c)
        if let existing = node, existing.customerID != customer {
            throw try conflict("bsuid", entry.bsuid, customer, existing.customerID, in: c)
        }
        if node == nil {
            let claim = IdentityClaim(bsuid: entry.bsuid, username: entry.username, at: at)
            let id = try resolver.attachNode(entry.bsuid, to: customer, claim: claim, retired: false, in: changes)
            node = try CustomerTables.node(id: id, in: c)
        } else if let existing = node, let username = entry.username, username != existing.username {
            try CustomerTables.setUsername(existing.id, username: username, at: at, now: changes.now, in: c)
            try changes.audit(customer, "bsuid.username_changed", subject: existing.bsuid,
                              before: existing.username.map(JSONValue.string), after: .string(username))
        }
        guard let node, let phone = entry.phone, node.phone != phone else { return }
        if let bound = node.phone { throw GatewayError.phoneLinkedToBSUID(phone: bound, bsuid: node.bsuid) }
        if let holder = try CustomerTables.node(boundTo: phone, in: c) {
            guard holder.customerID == customer else {
                throw try conflict("phone", "+" + phone, customer, holder.customerID, in: c)
            }
            throw GatewayError.phoneLinkedToBSUID(phone: phone, bsuid: holder.bsuid)
        }
        do {
            try PhoneBinding.bind(phone, toNode: node.id, at: at, policy: .refuseConflicts, in: changes)
        } catch let error as IdentityConflictError {
            throw GatewayError.identifierConflict(field: "phone", value: "+" + phone, contactID: error.contactID,
                                                  conflictingContactID: error.conflictingContactID)
        }
    }

    /// Makes the contact's phones exactly `desired`; bound phones may be neither dropped nor changed.
    private func replacePhones(_ desired: [String], of customer: Int64, in changes: IdentityChangeSet) throws {
        let c = changes.connection
        let current = try CustomerTables.identifiers(of: customer, in: c).filter { $0.kind == "phone" }.map(\.value)
        let bound = Dictionary(try CustomerTables.nodes(of: customer, in: c).compactMap { n in n.phone.map { ($0, n.bsuid) } },
                               uniquingKeysWith: { a, _ in a })
        for phone in current where !desired.contains(phone) {
            if let bsuid = bound[phone] { throw GatewayError.phoneLinkedToBSUID(phone: phone, bsuid: bsuid) }
            try CustomerTables.deleteIdentifier(.phone, phone, customerID: customer, in: c)
            try changes.audit(customer, "phone.removed", subject: phone, before: .string(phone))
        }
        for phone in desired where !current.contains(phone) {
            if let owner = try CustomerTables.owner(of: .phone, phone, in: c), owner != customer {
                throw try conflict("phone", "+" + phone, customer, owner, in: c)
            }
            try PhoneBinding.ensureOwned(phone, by: customer, policy: .refuseConflicts, in: changes)
        }
    }

    private func replaceEmails(_ desired: [String], of customer: Int64, in changes: IdentityChangeSet) throws {
        let c = changes.connection
        let current = try CustomerTables.identifiers(of: customer, in: c).filter { $0.kind == "email" }.map(\.value)
        for email in current where !desired.contains(email) {
            try CustomerTables.deleteIdentifier(.email, email, customerID: customer, in: c)
            try changes.audit(customer, "email.removed", subject: email, before: .string(email))
        }
        for email in desired where !current.contains(email) {
            if let owner = try CustomerTables.owner(of: .email, email, in: c) {
                throw try conflict("email", email, customer, owner, in: c)
            }
            try CustomerTables.insertIdentifier(.email, email, customerID: customer, now: changes.now, in: c)
            try changes.audit(customer, "email.added", subject: email, after: .string(email))
        }
    }

    private func conflict(_ field: String, _ value: String, _ customer: Int64, _ other: Int64,
                          in c: any DatabaseConnection) throws -> GatewayError {
        .identifierConflict(field: field, value: value, contactID: try CustomerTables.publicID(of: customer, in: c),
                            conflictingContactID: try CustomerTables.publicID(of: other, in: c))
    }
}

/// What a contact API write did: the contact as it now is, whether the write created it, and the identity counters
/// to add to `/metrics` once the transaction has committed.
public struct ContactWrite: Sendable {
    public let contact: JSONValue
    public let created: Bool
    public let counters: IdentityCounters
}
