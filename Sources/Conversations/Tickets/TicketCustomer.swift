import CRM
import Messaging
import Storage

/// Who a conversation ticket's outbound messages (agent replies, CSAT surveys) go to, and how to address them.
///
/// - **Recipient**: for a ticket of a known customer (`contact_id`, followed to the survivor of a merge), the
///   customer's newest phone, else its newest active BSUID (Meta prefers phones when both are known); for a sender
///   the identity mode resolved to nobody, the BSUID or phone of the conversation key (`bsuid:…`, `phone:…`).
/// - **Name**: the customer's display name (WhatsApp profile name), else nil.
/// - **Last message**: the newest customer message across all the customer's tickets (the 24-hour window is the
///   customer's, not one ticket's).
public struct TicketCustomer: Sendable, Equatable {
    public let recipient: WhatsAppRecipient
    public let name: String?
    /// Unix ms of the customer's newest inbound message, nil when there is none.
    public let lastMessageAt: Int64?

    /// The customer of `ticket`, or nil when no phone or BSUID is known (a bot/API ticket without a conversation).
    public static func of(_ ticket: WorkflowTicket, in c: any DatabaseConnection) throws -> TicketCustomer? {
        guard let key = ticket.conversationKey else { return nil }
        let lastMessageAt = try ConversationTicketTable.lastCustomerMessage(conversationKey: key, in: c)
        if let bsuid = key.dropPrefix("bsuid:") {
            return TicketCustomer(recipient: .bsuid(bsuid), name: nil, lastMessageAt: lastMessageAt)
        }
        if let phone = key.dropPrefix("phone:") {
            return TicketCustomer(recipient: .phone(phone), name: nil, lastMessageAt: lastMessageAt)
        }
        guard let customer = try c.queryOne("""
            SELECT coalesce(m.id, c.id) AS id, coalesce(m.display_name, c.display_name) AS name
            FROM customers c LEFT JOIN customers m ON m.id = c.merged_into WHERE c.public_id = ?
            """, [.text(ticket.contactID ?? key)]), let id = customer.int64("id") else { return nil }
        let recipient: WhatsAppRecipient
        if let phone = try c.queryOne("""
            SELECT value FROM customer_identifiers WHERE customer_id = ? AND kind = 'phone' ORDER BY id DESC LIMIT 1
            """, [.integer(id)])?.string("value") {
            recipient = .phone(phone)
        } else if let bsuid = try c.queryOne("""
            SELECT bsuid FROM customer_bsuids WHERE customer_id = ? AND retired_at IS NULL ORDER BY id DESC LIMIT 1
            """, [.integer(id)])?.string("bsuid") {
            recipient = .bsuid(bsuid)
        } else {
            return nil
        }
        return TicketCustomer(recipient: recipient, name: customer.string("name"), lastMessageAt: lastMessageAt)
    }
}

/// How tickets are named to customers (template parameter, CSAT button payloads `csat:<ref>:<n>`): `T-<id>`.
public enum TicketReference {
    public static func of(_ ticketID: Int64) -> String { "T-\(ticketID)" }
}

extension String {
    /// The rest after `prefix`, or nil when the string does not start with it (or nothing follows).
    func dropPrefix(_ prefix: String) -> String? {
        guard hasPrefix(prefix), count > prefix.count else { return nil }
        return String(dropFirst(prefix.count))
    }
}
