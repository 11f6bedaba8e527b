import Foundation
import GatewayKit
import Storage

/// The writes of one identity operation (one inbound item or one API call) on one connection: who acts, when, the
/// counters, and the audit trail. Every change is audited row by row; the CRM gets one outbox event per customer the
/// operation changed, written by ``finish()`` in the same transaction, so the CRM hears of exactly the committed
/// changes (when a CRM events URL is configured; otherwise the events are only counted, see ``IdentityEventRoute``).
final class IdentityChangeSet {
    let connection: any DatabaseConnection
    /// Audit actor: `whatsapp:item:<inbox item id>`, `api:<request id>`, ...
    let actor: String
    /// Unix milliseconds of the write (audit and row timestamps).
    let now: Int64
    /// Whether ``finish()`` enqueues the CRM events or only counts them.
    let events: IdentityEventRoute
    var counters = IdentityCounters()
    /// Changes per customer id, in order, for the outbox events (each one entry of an event's `changes`, as written).
    private var changes: [(customerID: Int64, change: [UInt8])] = []
    private var firstAuditID: Int64?
    /// Public ids of customers this operation created (saves a lookup on the hot path of new users).
    var createdPublicIDs: [Int64: String] = [:]
    /// Public ids read with something else (a known sender's node): a customer's public id never changes.
    var readPublicIDs: [Int64: String] = [:]

    /// - Parameter now: unix milliseconds: the time of the changes, their audit rows and their outbox events.
    init(connection: any DatabaseConnection, actor: String, events: IdentityEventRoute, now: Int64) {
        self.connection = connection
        self.actor = actor
        self.events = events
        self.now = now
    }

    /// Writes one audit row: `action` on `subject` (a BSUID, phone or email), with the before/after values.
    func audit(_ customerID: Int64, _ action: String, subject: String?, before: JSONValue? = nil,
               after: JSONValue? = nil) throws {
        // Written once: the audit row keeps them as text, the CRM event as they are.
        let (before, after) = (before.map(JSONWriter.bytes), after.map(JSONWriter.bytes))
        try connection.run("""
            INSERT INTO identity_audit (customer_id, actor, action, subject, before, after, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.integer(customerID), .text(actor), .text(action), SQLValue(subject),
                  SQLValue(before.map { String(decoding: $0, as: UTF8.self) }),
                  SQLValue(after.map { String(decoding: $0, as: UTF8.self) }), .integer(now)])
        if firstAuditID == nil { firstAuditID = connection.lastInsertRowID }
        // Without a CRM to tell, the events are only counted: their contents are not built.
        guard events == .crm else {
            changes.append((customerID, []))
            return
        }
        changes.append((customerID, IdentityOutboxEvent.change(action: action, subject: subject, before: before,
                                                               after: after)))
    }

    /// The public id of `customerID`.
    func publicID(of customerID: Int64) throws -> String {
        if let known = createdPublicIDs[customerID] ?? readPublicIDs[customerID] { return known }
        return try CustomerTables.publicID(of: customerID, in: connection)
    }

    /// Enqueues one `contact.identity_changed` event per changed customer (see ``IdentityOutboxEvent``), or counts
    /// them when no CRM events URL is configured.
    func finish() throws {
        guard let firstAuditID, !changes.isEmpty else { return }
        guard events == .crm else {
            counters.eventsNotConfigured += Set(changes.map(\.customerID)).count
            return
        }
        var order: [Int64] = []
        var byCustomer: [Int64: [[UInt8]]] = [:]
        for (customerID, change) in changes {
            if byCustomer[customerID] == nil { order.append(customerID) }
            byCustomer[customerID, default: []].append(change)
        }
        for customerID in order {
            // A customer created here and not merged since has no tombstone link to look up.
            let knownID = counters.customersMerged == 0 ? createdPublicIDs[customerID] : nil
            try IdentityOutboxEvent.enqueue(customerID: customerID, publicID: knownID,
                                            changes: byCustomer[customerID] ?? [], actor: actor,
                                            auditID: firstAuditID, now: now, in: connection)
        }
    }
}
