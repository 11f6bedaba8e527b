import CRM
import Delivery
import GatewayKit
import Identity
import Messaging
import Storage

/// The inbound step after the ticket step that asks a new lead who they are. When a contact's very first message
/// opens a ticket classified as a lead (kind `lead`, routed to the sales queue), the customer is asked, one question
/// at a time and in the language of that message (``LeadPrompts``): their name, their business, then — as an
/// interactive list — what they are interested in. Each answer (the customer's next text, or their pick from the
/// list) is kept on the lead (``Lead``, `GET /v1/tickets/{id}/lead`) and on the contact: the name as the contact's
/// name, the business as the built-in `company` field; the contact's `source` field says `WhatsApp`. The answers stay
/// in the ticket's conversation like any message.
///
/// Asking stops after the last answer (with a thank-you), and as soon as anyone else — an agent — writes on the
/// ticket: from then on the customer is talking to sales, not answering a form. Messages that cannot answer the
/// question asked (a picture, a sticker) are left alone, and a message seen before answers nothing again. A prompt
/// the sender refuses (no business number configured) is counted and skipped; the lead is still recorded.
public struct LeadCaptureStep: InboundItemStep {
    public var phase: InboundPhase { .enrich }
    public var kinds: Set<String> { ["message"] }
    /// The author of the prompts on the ticket (and the history actor of what the step changes).
    public static let actor = "lead-capture"
    public static let purpose = "lead_capture"
    static let promptsMetric = "gateway_lead_prompts_total"
    static let promptsHelp = "WhatsApp questions sent to new leads, by outcome (sent, refused)"

    let messages: TicketMessageSender
    let prompts: LeadPromptContents
    let contacts: ContactEditor

    public init(messages: TicketMessageSender, texts: WhatsAppTextCatalog, contacts: ContactEditor) {
        self.messages = messages
        prompts = LeadPromptContents(texts: texts)
        self.contacts = contacts
    }

    public func apply(_ item: inout InboundItem, in c: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message(let message) = item.event, message.edit == nil, message.revokedMessageID == nil,
              message.type != .reaction, let ticket = try Self.leadTicket(item, message, in: c)
        else { return .next }
        let (ticketID, now) = (ticket.id, item.now)
        // A ticket this message opened has no lead yet; opened for a customer created for it, it is their first.
        if !item.ticketOpened, let lead = try LeadTable.find(ticketID: ticketID, in: c) {
            guard let question = lead.awaiting, try !LeadTable.hasSeen(message.id, ticketID: ticketID, in: c) else {
                return .next
            }
            if try Self.someoneElseWrote(on: ticketID, in: c) {
                try LeadTable.stopAsking(ticketID: ticketID, now: now, in: c)
                return .next
            }
            guard let answer = Self.answer(to: question, message) else { return .next }
            try LeadTable.answer(question, answer, messageID: message.id, ticketID: ticketID, now: now, in: c)
            if let contactID = lead.contactID {
                try LeadContactDetails(contacts: contacts).record(question, answer, contactID: contactID,
                                                                  actor: Self.actor, now: now, in: c)
            }
            try prompt(question.next, ticket: ticket, counts: &item.counts, now: now, in: c)
        } else {
            let openedForNewContact = item.ticketOpened && item.contactIsNew
            guard try openedForNewContact || Self.isFirstContact(ticket, in: c) else { return .next }
            let lead = Lead(ticketID: ticketID, contactID: ticket.contactID, source: "whatsapp",
                            language: ticket.language, awaiting: .name)
            try LeadTable.insert(lead, openingMessageID: message.id, by: Self.actor, now: now, in: c)
            // A customer created for this message is its own row, neither merged nor erased.
            let customer = try ticket.contactID.map { contactID in
                try ContactFieldService.setValues(["source": "WhatsApp"], ofContact: contactID, now: now,
                                                  contactIsNew: openedForNewContact,
                                                  customerID: openedForNewContact ? item.contactRowID : nil,
                                                  in: c).customer
            }
            try prompt(.name, ticket: ticket, customerID: customer, counts: &item.counts, now: now, in: c)
        }
        item.applied = true
        return .next
    }

    /// What the step needs of the ticket a message was filed on.
    struct LeadTicket {
        let id: Int64
        let contactID: String?
        let conversationKey: String?
        let language: String?
    }

    /// The open or pending lead ticket the message was filed on; nil when it was filed on another or on none. One the
    /// ticket step filed the message on now is as that step left it (found by the conversation key of this sender);
    /// another (a message filed before) is read.
    static func leadTicket(_ item: InboundItem, _ message: InboundMessage,
                           in c: any DatabaseConnection) throws -> LeadTicket? {
        guard let ticketID = item.ticketID, item.ticketKind ?? "lead" == "lead" else { return nil }
        if item.ticketKind != nil, let status = item.ticketStatus {
            guard [.open, .pending].contains(TicketStatus(stored: status)) else { return nil }
            return LeadTicket(id: ticketID, contactID: item.ticketContactID,
                              conversationKey: TicketConversationStep.conversationKey(item.contactID, message),
                              language: item.ticketLanguage)
        }
        guard let stored = try ConversationTicketTable.find(ticketID, in: c), stored.kind == "lead",
              stored.workflowStatus == .open || stored.workflowStatus == .pending else { return nil }
        return LeadTicket(id: stored.id, contactID: stored.contactID, conversationKey: stored.conversationKey,
                          language: stored.language)
    }

    /// Asks `question` (nil: thanks the customer, every question being answered); `customerID`: the contact's row id
    /// when the step has just looked it up.
    private func prompt(_ question: LeadQuestion?, ticket: LeadTicket, customerID: Int64? = nil,
                        counts: inout MetricCounts, now: Int64, in c: any DatabaseConnection) throws {
        guard let customer = try TicketCustomer.recipient(conversationKey: ticket.conversationKey,
                                                          contactID: ticket.contactID, customerID: customerID, in: c)
        else { return }
        let content = prompts.content(question, language: ticket.language)
        do {
            _ = try messages.send(content, to: customer, ticketID: ticket.id, purpose: Self.purpose,
                                  idempotencyKey: "lead:\(ticket.id):\(question?.rawValue ?? "thanks")",
                                  author: Self.actor, now: now, in: c)
            counts.increment(Self.promptsMetric, [("outcome", "sent")], help: Self.promptsHelp)
        } catch is WhatsAppSendError {
            counts.increment(Self.promptsMetric, [("outcome", "refused")], help: Self.promptsHelp)
        }
    }

    /// The words of `message` that answer `question`, cut to its length; nil when it answers nothing (not text, or
    /// blank). The interest question also takes a pick from its list (its row's title).
    static func answer(to question: LeadQuestion, _ message: InboundMessage) -> String? {
        var words = message.text
        if question == .interest, let pick = message.interactive, pick.id?.hasPrefix(LeadPrompts.rowPrefix) == true {
            words = pick.title
        }
        guard let answer = words?.trimmingSpaces, !answer.isEmpty else { return nil }
        return String(answer.prefix(question.maxLength))
    }

    /// A contact's first ticket, opened by this (its only) customer message.
    static func isFirstContact(_ ticket: LeadTicket, in c: any DatabaseConnection) throws -> Bool {
        guard let key = ticket.conversationKey else { return false }
        let inbound = try c.queryOne("SELECT count(*) AS n FROM ticket_messages WHERE ticket_id = ? AND direction = 'in'",
                                     [.integer(ticket.id)])
        return try ConversationTicketTable.count(conversationKey: key, in: c) == 1 && inbound?.int64("n") == 1
    }

    /// Whether anyone but the capture wrote to the customer on the ticket (an agent took over).
    static func someoneElseWrote(on ticketID: Int64, in c: any DatabaseConnection) throws -> Bool {
        try c.queryOne("""
            SELECT 1 FROM ticket_messages WHERE ticket_id = ? AND direction = 'out' AND coalesce(sender, '') != ?
            LIMIT 1
            """, [.integer(ticketID), .text(actor)]) != nil
    }
}
