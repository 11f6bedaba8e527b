import CRM
import Conversations
import Delivery
import GatewayKit
import Storage

/// The inbound step before the ticket step that takes a customer's pick from the outlet list
/// (``OutletChoiceList``): a `list_reply` whose row id is `outlet:<ticket-id>:<oid>`.
///
/// A valid pick — the ticket exists, belongs to the sender's conversation, is still `ambiguous`, and the outlet was
/// offered — links the ticket (`contact_outlet` method `customer_choice`, history actor `customer:<conversation>`),
/// files the reply on that ticket's conversation like any customer message (without moving its status), and is
/// consumed: it opens or reopens no ticket. Anything else (a stale list after an agent linked the ticket, a forged or
/// garbled id, another customer's ticket) links nothing: it is logged (`outlet_choice_rejected`), counted by reason
/// and flows on as a normal message. Other list replies are not looked at.
public struct OutletChoiceStep: InboundItemStep {
    public var phase: InboundPhase { .consume }
    public let linker: TicketOutletLinker
    private let log: EventLog

    public var kinds: Set<String> { ["message"] }

    public init(linker: TicketOutletLinker, log: EventLog) {
        self.linker = linker
        self.log = log
    }

    public func apply(_ item: inout InboundItem, in c: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message(let message) = item.event, message.interactive?.kind == .listReply,
              let rowID = message.interactive?.id else { return .next }
        let reply = OutletChoiceList.reply(rowID: rowID)
        guard reply != .other else { return .next }
        // A re-applied item whose message is already filed: the ticket step counts it as a duplicate.
        guard !(try TicketMessages.containsInbound(message.id, in: c)) else { return .next }
        // No sender at all names no conversation: "" matches no ticket.
        let key = TicketConversationStep.conversationKey(item.contactID, message) ?? ""
        let ticket: TicketOutletColumns.Ticket
        let outlet: OutletRecord
        switch try judge(reply, conversationKey: key, in: c) {
        case .failure(let rejection):
            log.warning("outlet_choice_rejected", ["reason": rejection.reason, "row_id": String(rowID.prefix(200)),
                                                   "wa_message_id": message.id])
            item.counts.increment(TicketOutletMetrics.rejectedChoices, [("reason", rejection.reason)],
                                  help: TicketOutletMetrics.rejectedChoicesHelp)
            return .next
        case .success(let choice): (ticket, outlet) = choice
        }
        let now = item.now
        _ = try linker.link(ticket, to: outlet, method: .customerChoice, actor: "customer:\(key)", now: now, in: c)
        try TicketMessages.insertInbound(message, ticketID: ticket.id, sender: item.contactID ?? key, now: now,
                                         in: c)
        try ConversationTicketTable.noteCustomerMessage(ticket.id, sentAt: message.timestamp * 1000, in: c)
        TicketOutletMetrics.count("chosen", in: &item.counts)
        item.applied = true
        return .consumed
    }

    /// Why a pick links nothing (the `reason` label).
    struct Rejection: Error {
        let reason: String
    }

    /// The ticket and outlet a pick names, if it is one the sender may make now.
    private func judge(_ reply: OutletChoiceList.Reply, conversationKey key: String,
                       in c: any DatabaseConnection)
        throws -> Result<(TicketOutletColumns.Ticket, OutletRecord), Rejection> {
        guard case .choice(let ticketID, let oid) = reply else { return .failure(Rejection(reason: "malformed")) }
        guard let ticket = try TicketOutletColumns.find(ticketID, in: c), !ticket.isDeleted else {
            return .failure(Rejection(reason: "unknown_ticket"))
        }
        guard ticket.conversationKey == key else { return .failure(Rejection(reason: "other_conversation")) }
        guard ticket.outletStatus == .ambiguous else { return .failure(Rejection(reason: "not_ambiguous")) }
        guard try TicketOutletTable.wasOffered(oid, ticketID: ticket.id, in: c),
              let outlet = try OutletDirectory.outlet(oid, in: c)
        else { return .failure(Rejection(reason: "not_offered")) }
        return .success((ticket, outlet))
    }
}
