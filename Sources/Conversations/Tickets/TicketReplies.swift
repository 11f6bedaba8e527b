import CRM
import Delivery
import GatewayKit
import Messaging
import Storage

/// An agent's reply to a conversation ticket (`POST /v1/tickets/{id}/messages`), in one transaction: the WhatsApp
/// message with its outbox row, the outbound `ticket_messages` row, a `replied` history row and — for the first agent
/// reply only — the first response that stops the SLA clock (``TicketSLA/recordFirstResponse(ticketID:at:actor:in:)``).
///
/// Rules, checked before anything is written:
/// - an unknown or deleted ticket is a 404; a `closed` ticket is final (409); a `resolved` one may be replied to and
///   stays resolved (a follow-up does not reopen it — only the customer's message does);
/// - free-form text and media only inside the customer's 24-hour window (``CustomerServiceWindow``, from the
///   customer's newest message across their tickets); outside it only a template (400 naming `text` or `media`);
/// - a template is sent in the language asked for, else the ticket's (``WorkflowTicket/language``) when the template
///   has it, else `whatsapp.default_language`; unknown templates, languages and wrong parameter counts are the
///   sender's 400s naming `template.name`, `template.language`, `template.parameters`.
public struct TicketReplies: Sendable {
    public static let purpose = "ticket_reply"
    public let messages: TicketMessageSender

    public init(messages: TicketMessageSender) {
        self.messages = messages
    }

    /// Sends `request` to ticket `ticketID`'s customer. `idempotencyKey` (the caller's `Idempotency-Key`, scoped to
    /// the ticket) makes a retried request return the first reply (`created: false`) instead of sending twice.
    /// - Returns: the ticket message as `GET /v1/tickets/{id}/messages` lists it.
    /// - Throws: ``GatewayError`` (404, 409, 400 for the window), ``WhatsAppSendError``, or the database's error.
    /// Whether a reply with `idempotencyKey` was already queued on ticket `ticketID` (a retry gets it back).
    static func isQueued(_ ticketID: Int64, idempotencyKey: String, in c: any DatabaseConnection) throws -> Bool {
        try WhatsAppOutboundTable.message(idempotencyKey: key(ticketID, idempotencyKey), in: c) != nil
    }

    /// The outbound message's idempotency key of a reply made with the caller's `idempotencyKey`.
    static func key(_ ticketID: Int64, _ idempotencyKey: String) -> String {
        "ticket:\(ticketID):reply:\(idempotencyKey)"
    }

    public func reply(_ request: TicketReplyRequest, to ticketID: Int64, idempotencyKey: String, now: Int64,
                      in c: any DatabaseConnection) throws -> (message: JSONValue, created: Bool) {
        guard let ticket = try ConversationTicketTable.find(ticketID, in: c), ticket.deletedAt == nil else {
            throw GatewayError.notFound("no ticket with id \(ticketID)")
        }
        if ticket.workflowStatus == .closed {
            throw GatewayError.conflict("ticket \(ticketID) is closed: a closed ticket takes no replies (the customer's "
                                        + "next message opens a new ticket)")
        }
        guard let customer = try TicketCustomer.of(ticket, in: c) else {
            throw GatewayError.conflict("ticket \(ticketID) has no WhatsApp customer to reply to (no phone or BSUID "
                                        + "is known for it)")
        }
        let key = Self.key(ticketID, idempotencyKey)
        let content: WhatsAppContent
        switch request.content {
        case .template(let name, let language, let parameters):
            content = .template(name: name, language: messages.language(language, ticket: ticket, template: name),
                                parameters: parameters)
        case .text, .interactiveList, .media:
            content = request.content
            if try WhatsAppOutboundTable.message(idempotencyKey: key, in: c) == nil {
                try Self.checkWindow(customer, now: now, field: request.content.kind == "media" ? "media" : "text")
            }
        }
        let sent = try messages.send(content, to: customer, ticketID: ticketID, purpose: Self.purpose,
                                     idempotencyKey: key, author: request.actor, now: now, in: c)
        if sent.created {
            var detail: [String: JSONValue] = ["outbound_message_id": .integer(sent.outbound.id),
                                               "content_kind": .string(sent.outbound.contentKind)]
            detail.put("template", sent.outbound.templateName)
            detail.put("language", sent.outbound.language)
            try TicketHistory.record(ticketID, at: now, actor: request.actor, action: "replied",
                                     to: String(sent.ticketMessageID), detail: .object(detail), in: c)
            try TicketSLA.recordFirstResponse(ticketID: ticketID, at: now, actor: request.actor, in: c)
        }
        guard let message = try TicketMessages.message(id: sent.ticketMessageID, in: c) else {
            throw StoreConsistencyError(detail: "ticket message \(sent.ticketMessageID) vanished")
        }
        return (message, sent.created)
    }

    /// Free-form text and media need the customer's message within the last 24 hours; `field` is what the refusal
    /// names (`text`, `media`).
    static func checkWindow(_ customer: TicketCustomer, now: Int64, field: String) throws {
        switch CustomerServiceWindow.evaluate(lastCustomerMessageAt: customer.lastMessageAt, now: now) {
        case .freeFormAllowed:
            return
        case .templateOnly(.noCustomerMessage):
            throw GatewayError.validation([FieldError(field: field, message: "cannot be sent: the customer has not "
                                                      + "written yet, so only a template (e.g. support_followup) can be sent")])
        case .templateOnly(.windowClosed(let closedAt)):
            throw GatewayError.validation([FieldError(
                field: field, message: "cannot be sent: the 24-hour customer-service window closed at "
                    + "\(Timestamps.rfc3339(closedAt)) (24 hours after the customer's last message); send a template "
                    + "instead (e.g. support_followup)")])
        }
    }
}
