import CRM
import Delivery
import GatewayKit
import Storage

/// Files `call` items on the conversation: a call the customer placed is filed like a message from them — on their
/// ongoing ticket, reopening a recently resolved one or opening a new one (``TicketConversationStep``) — as an inbound
/// ticket message of type `call`; a call the business placed goes on the ongoing ticket as an outbound one (and only
/// is counted, `gateway_ticket_messages_total{outcome="call_without_ticket"}`, when there is none). Every later report
/// of the same call (ringing, accepted, ended with its outcome, start, end and duration) updates that message's
/// `content.call`, so the thread shows one line per call.
public struct TicketCallStep: InboundItemStep {
    public var phase: InboundPhase { .file }
    public var kinds: Set<String> { ["call"] }
    private let conversation: TicketConversationStep

    public init(conversation: TicketConversationStep) {
        var filing = conversation
        filing.openedOutletStatus = nil  // no outlet resolution follows a call
        self.conversation = filing
    }

    public func apply(_ item: inout InboundItem, in c: any DatabaseConnection) throws -> InboundStepResult {
        guard case .call(let call) = item.event else { return .next }
        let direction = call.customerCalled ? "in" : "out"
        if let filed = try TicketMessages.call(call.callID, direction: direction, in: c) {
            try TicketMessages.recordCall(call, messageID: filed.id, in: c)
            item.ticketID = filed.ticketID
            item.applied = true
            return .consumed
        }
        let line = InboundMessage(id: call.callID, channelID: call.channelID, accountID: call.accountID,
                                  senderPhone: call.customerPhone, senderUserID: call.customerUserID,
                                  timestamp: call.startedAt ?? call.timestamp, type: .unknown("call"))
        if call.customerCalled {
            var filing = InboundItem(id: item.id, kind: "message", event: .message(line), occurredAt: item.occurredAt,
                                     now: item.now)
            filing.contactID = item.contactID
            _ = try conversation.apply(&filing, in: c)
            item.counts.merge(filing.counts)
            item.ticketID = filing.ticketID
        } else if let ticket = try TicketConversationStep.ongoingTicket(contactID: item.contactID, line, in: c) {
            _ = try TicketMessages.insertEcho(line, ticketID: ticket.id, sender: "business", now: item.now, in: c)
            item.ticketID = ticket.id
        } else {
            item.counts.increment(TicketConversationStep.messagesMetric, [("outcome", "call_without_ticket")],
                                  help: TicketConversationStep.messagesHelp)
            return .consumed
        }
        if let filed = try TicketMessages.call(call.callID, direction: direction, in: c) {
            try TicketMessages.recordCall(call, messageID: filed.id, in: c)
            item.applied = true
        }
        return .consumed
    }
}
