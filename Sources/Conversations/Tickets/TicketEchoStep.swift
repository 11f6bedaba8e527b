import CRM
import Delivery
import GatewayKit
import Storage

/// Files `echo` items — messages a person sent the customer from the WhatsApp Business app on the gateway's number —
/// on the customer's newest ticket while it is open or pending, as an outbound message from
/// `whatsapp_business_app`: agents see the whole conversation, and the first one stops the first-response clock like
/// an agent's reply; an edit or deletion made in the app changes the echoed message it names. An echo never opens or
/// reopens a ticket (the business wrote, not the customer); with no ongoing
/// ticket it is only counted (`gateway_ticket_messages_total{outcome="echo_without_ticket"}`). The same echo files
/// once; a filed echo goes on to the steps that take echoes (its media is downloaded like a customer's).
public struct TicketEchoStep: InboundItemStep {
    public var phase: InboundPhase { .file }
    public var kinds: Set<String> { ["echo"] }
    /// The sender and history actor of echoed messages.
    public static let actor = "whatsapp_business_app"

    public init() {}

    public func apply(_ item: inout InboundItem, in c: any DatabaseConnection) throws -> InboundStepResult {
        guard case .echo(let message) = item.event else { return .next }
        let metric = TicketConversationStep.messagesMetric, help = TicketConversationStep.messagesHelp
        if message.edit != nil || message.revokedMessageID != nil {
            let changed = try TicketMessageChanges.apply(message, direction: "out", actor: Self.actor,
                                                         at: message.timestamp * 1000, in: c)
            item.ticketID = changed
            item.applied = changed != nil
            item.counts.increment(metric, [("outcome", changed == nil ? "change_without_message" : "echo_changed")],
                                  help: help)
            return .consumed
        }
        if try TicketMessages.containsEcho(message.id, in: c) {
            item.counts.increment(metric, [("outcome", "duplicate")], help: help)
            return .consumed
        }
        guard let ticket = try TicketConversationStep.ongoingTicket(contactID: item.contactID, message, in: c) else {
            item.counts.increment(metric, [("outcome", "echo_without_ticket")], help: help)
            return .consumed
        }
        let sentAt = message.timestamp * 1000
        let id = try TicketMessages.insertEcho(message, ticketID: ticket.id, sender: Self.actor, now: item.now, in: c)
        try TicketHistory.record(ticket.id, at: sentAt, actor: Self.actor, action: "replied", to: String(id),
                                 detail: ["wa_message_id": .string(message.id), "type": .string(message.type.rawValue)],
                                 in: c)
        try TicketSLA.recordFirstResponse(ticketID: ticket.id, at: sentAt, actor: Self.actor, in: c)
        item.ticketID = ticket.id
        item.applied = true
        item.counts.increment(metric, [("outcome", "echo")], help: help)
        // Later steps that take echoes (the media download) see the filed echo.
        return .next
    }
}
