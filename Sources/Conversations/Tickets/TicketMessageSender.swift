import CRM
import Delivery
import GatewayKit
import Messaging
import Storage

/// Sends a WhatsApp message to a ticket's customer and attaches it to the ticket's conversation, in the caller's
/// transaction: the `whatsapp_outbound_messages` row, its outbox row and the `ticket_messages` row (direction `out`)
/// commit together or not at all. Used by agent replies (``TicketReplies``) and CSAT surveys (``CSATSurveyObserver``).
public struct TicketMessageSender: Sendable {
    public let whatsApp: WhatsAppSender

    public init(whatsApp: WhatsAppSender) {
        self.whatsApp = whatsApp
    }

    /// What ``send(_:to:ticketID:purpose:idempotencyKey:author:now:in:)`` did.
    public struct Sent: Sendable {
        /// The `ticket_messages` row.
        public let ticketMessageID: Int64
        public let outbound: WhatsAppOutboundMessage
        /// False when the idempotency key had sent this message before: nothing new was written.
        public let created: Bool
    }

    /// Queues `content` to `customer` and attaches it to ticket `ticketID` as written by `author`.
    /// - Throws: ``WhatsAppSendError`` (nothing written) or the database's error.
    public func send(_ content: WhatsAppContent, to customer: TicketCustomer, ticketID: Int64, purpose: String,
                     idempotencyKey: String, author: String, now: Int64, in c: any DatabaseConnection) throws -> Sent {
        try send(content, to: customer.recipient, ticketID: ticketID, purpose: purpose, idempotencyKey: idempotencyKey,
                 author: author, now: now, in: c)
    }

    /// The same, to `recipient`.
    public func send(_ content: WhatsAppContent, to recipient: WhatsAppRecipient, ticketID: Int64, purpose: String,
                     idempotencyKey: String, author: String, now: Int64, in c: any DatabaseConnection) throws -> Sent {
        let queued = try whatsApp.enqueue(WhatsAppSend(
            recipient: recipient, content: content, purpose: purpose,
            reference: TicketReference.of(ticketID), idempotencyKey: idempotencyKey), in: c)
        guard let outbound = try WhatsAppOutboundTable.message(id: queued.id, in: c) else {
            throw StoreConsistencyError(detail: "WhatsApp message \(queued.id) vanished")
        }
        if !queued.created, let attached = try TicketMessages.outbound(outbound.id, in: c) {
            return Sent(ticketMessageID: attached.id, outbound: outbound, created: false)
        }
        var text: String?
        var details: JSONValue?
        var type = outbound.contentKind
        switch content {
        case .text(let body):
            text = body
        case .template(let name, _, let parameters):
            let language = outbound.language ?? whatsApp.catalog.defaultLanguage
            text = whatsApp.catalog.filledBody(name: name, language: language, values: parameters)
            details = ["template": ["name": .string(name), "language": .string(language),
                                    "parameters": .array(parameters.map(JSONValue.string))]]
        case .interactiveList:
            break
        case .media(let media):
            (type, text) = (media.type.rawValue, media.caption)
            var described: [String: JSONValue] = ["type": .string(media.type.rawValue), "link": .string(media.link)]
            described.put("filename", media.filename)
            details = ["media": .object(described)]
        }
        let id = try TicketMessages.insertOutbound(ticketID: ticketID, type: type, outbound: outbound, text: text,
                                                   content: details, sender: author, now: now, in: c)
        return Sent(ticketMessageID: id, outbound: outbound, created: true)
    }

    /// The language for template `name` on a ticket: the one asked for, else the ticket's when the template has it,
    /// else nil (`whatsapp.default_language`).
    public func language(_ requested: String?, ticket: WorkflowTicket, template name: String) -> String? {
        requested ?? whatsApp.catalog.language(ticket.language, ifAvailableFor: name)
    }
}
