import CRM
import Identity
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
        guard let customer = try ContactAddresses.reachable(ticket.contactID ?? key, in: c) else { return nil }
        let recipient: WhatsAppRecipient
        if let phone = customer.phone {
            recipient = .phone(phone)
        } else if let bsuid = customer.bsuid {
            recipient = .bsuid(bsuid)
        } else {
            return nil
        }
        return TicketCustomer(recipient: recipient, name: customer.name, lastMessageAt: lastMessageAt)
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
