import Delivery
import GatewayKit
import Storage

/// The event that tells the CRM a contact's identity changed (customer merges included), written to the outbox in the
/// transaction that made the change (endpoint `crm`, URL `crm.events_url`; see ``IdentityEventRoute``):
///
/// `{"type": "contact.identity_changed", "data": {"contact_id", "merged_into"?, "actor", "changes": [{"action",
/// "subject"?, "before"?, "after"?}]}}`
///
/// Idempotency key `identity:<first audit id>:<contact id>`: unique per operation and contact. The ordering key is the
/// contact id, so the CRM receives one contact's changes in order.
enum IdentityOutboxEvent {
    static let endpoint = BuiltInEndpoint.crm.name
    static let type = "contact.identity_changed"

    /// - Parameter publicID: the contact id when the caller knows it and the customer cannot have been merged.
    static func enqueue(customerID: Int64, publicID: String?, changes: [[UInt8]], actor: String, auditID: Int64,
                        now: Int64, in connection: any DatabaseConnection) throws {
        var contactID = publicID
        var mergedInto: String?
        if contactID == nil {
            let row = try connection.queryOne("SELECT c.public_id, m.public_id AS merged_into FROM customers c " +
                                              "LEFT JOIN customers m ON m.id = c.merged_into WHERE c.id = ?",
                                              [.integer(customerID)])
            contactID = row?.string("public_id")
            mergedInto = row?.string("merged_into")
        }
        guard let contactID else { return }
        try Outbox.enqueue(OutboundMessage(endpoint: endpoint, headers: [("Content-Type", "application/json")],
                                           body: body(contactID: contactID, mergedInto: mergedInto, actor: actor,
                                                      changes: changes),
                                           idempotencyKey: "identity:\(auditID):\(contactID)", orderingKey: contactID),
                           in: connection, now: now)
    }

    // The event is written member by member, in the order ``JSONWriter`` sorts the keys (the same bytes it writes for
    // the same object), with the before/after values the audit rows were written with: one event per customer an
    // inbound item changes, on the single writer, so no dictionary is built, sorted and written again per change.

    /// One entry of `changes`: `{"action", "after"?, "before"?, "subject"?}`; `before` and `after` as written.
    static func change(action: String, subject: String?, before: [UInt8]?, after: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(48 + action.utf8.count + (subject?.utf8.count ?? 0) + (before?.count ?? 0)
            + (after?.count ?? 0))
        member("action", .string(action), first: true, into: &out)
        if let after { member("after", written: after, into: &out) }
        if let before { member("before", written: before, into: &out) }
        if let subject { member("subject", .string(subject), into: &out) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `{"data": {"actor", "changes", "contact_id", "merged_into"?}, "type"}`; `changes` as ``change(action:subject:
    /// before:after:)`` wrote them.
    static func body(contactID: String, mergedInto: String?, actor: String, changes: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + changes.reduce(0) { $0 + $1.count + 1 })
        out.append(contentsOf: #"{"data":"#.utf8)
        member("actor", .string(actor), first: true, into: &out)
        out.append(contentsOf: #","changes":["#.utf8)
        for (index, change) in changes.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: change)
        }
        out.append(UInt8(ascii: "]"))
        member("contact_id", .string(contactID), into: &out)
        if let mergedInto { member("merged_into", .string(mergedInto), into: &out) }
        out.append(UInt8(ascii: "}"))
        member("type", .string(type), into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends `"key":value` (a key that needs no escaping), opening the object when `first`, else after a comma.
    private static func member(_ key: String, _ value: JSONValue, first: Bool = false, into out: inout [UInt8]) {
        member(key, written: [], first: first, into: &out)
        JSONWriter.write(value, into: &out)
    }

    /// Appends `"key":` then `written`, a value already written as JSON.
    private static func member(_ key: String, written: [UInt8], first: Bool = false, into out: inout [UInt8]) {
        out.append(UInt8(ascii: first ? "{" : ","))
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: key.utf8)
        out.append(contentsOf: #"":"#.utf8)
        out.append(contentsOf: written)
    }
}
