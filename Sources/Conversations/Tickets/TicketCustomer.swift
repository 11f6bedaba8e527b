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
        guard let key = ticket.conversationKey, let found = try address(ticket.contactID, key: key, in: c) else {
            return nil
        }
        let lastMessageAt = try ConversationTicketTable.lastCustomerMessage(conversationKey: key, in: c)
        return TicketCustomer(recipient: found.recipient, name: found.name, lastMessageAt: lastMessageAt)
    }

    /// Where a message to the customer of a ticket (its `conversationKey` and `contactID`) goes (nil as for
    /// ``of(_:in:)``), without their name and the time of their last message: for an answer to the message being
    /// handled, inside the customer's window by definition. `customerID`: the contact's row id, when the caller has
    /// just looked it up (``ContactFieldService``).
    package static func recipient(conversationKey: String?, contactID: String?, customerID: Int64? = nil,
                                  in c: any DatabaseConnection) throws -> WhatsAppRecipient? {
        guard let key = conversationKey else { return nil }
        return try address(contactID, key: key, customerID: customerID, in: c)?.recipient
    }

    /// The recipient and the name: the sender's own identifier of a conversation without a customer, else the
    /// customer's newest phone or active BSUID.
    private static func address(_ contactID: String?, key: String, customerID: Int64? = nil,
                                in c: any DatabaseConnection) throws -> (recipient: WhatsAppRecipient, name: String?)? {
        if let bsuid = key.dropPrefix("bsuid:") { return (.bsuid(bsuid), nil) }
        if let phone = key.dropPrefix("phone:") { return (.phone(phone), nil) }
        let customer = if let customerID {
            try ContactAddresses.reachable(customerID: customerID, in: c)
        } else {
            try ContactAddresses.reachable(contactID ?? key, in: c)
        }
        guard let customer else { return nil }
        if let phone = customer.phone { return (.phone(phone), customer.name) }
        if let bsuid = customer.bsuid { return (.bsuid(bsuid), customer.name) }
        return nil
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
