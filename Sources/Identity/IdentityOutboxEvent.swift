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
    static func enqueue(customerID: Int64, publicID: String?, changes: [JSONValue], actor: String, auditID: Int64,
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
        var data: [String: JSONValue] = ["contact_id": .string(contactID), "actor": .string(actor),
                                         "changes": .array(changes)]
        data.put("merged_into", mergedInto)
        let body: JSONValue = ["type": .string(type), "data": .object(data)]
        try Outbox.enqueue(OutboundMessage(endpoint: endpoint, headers: [("Content-Type", "application/json")],
                                           body: JSONWriter.bytes(body),
                                           idempotencyKey: "identity:\(auditID):\(contactID)", orderingKey: contactID),
                           in: connection, now: now)
    }
}
