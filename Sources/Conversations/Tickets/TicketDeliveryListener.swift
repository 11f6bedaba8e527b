import GatewayKit
import Messaging
import Storage

/// Shows on the ticket how its outbound messages (agent replies, CSAT surveys) fare: every status change of their
/// WhatsApp message (accepted, sent, delivered, read, failed with Meta's code and title) is copied onto the
/// `ticket_messages` row, and a failure — a Cloud API refusal such as 131047 (24-hour window closed) or 131026
/// (undeliverable), a dead letter, or a `failed` status webhook — also writes a `delivery_failed` history row, so the
/// agent sees it in `GET /v1/tickets/{id}/history` as well as in `…/messages`.
///
/// Runs inside the transaction recording the status (dispatcher outcome or status webhook); messages attached to no
/// ticket (manual sends, renewals, outlet lists) are skipped after one indexed lookup.
public struct TicketDeliveryListener: WhatsAppStatusListener {
    public init() {}

    public func statusChanged(_ change: WhatsAppStatusChange, in c: any DatabaseConnection) throws {
        let message = change.message
        guard let attached = try TicketMessages.outbound(message.id, in: c) else { return }
        try TicketMessages.recordDelivery(attached.id, of: message, in: c)
        guard message.status == .failed else { return }
        var detail: [String: JSONValue] = ["ticket_message_id": .integer(attached.id),
                                           "outbound_message_id": .integer(message.id),
                                           "purpose": .string(message.purpose)]
        detail.put("code", message.error?.code)
        detail.put("title", message.error?.title)
        detail.put("detail", message.error?.detail)
        try TicketHistory.record(attached.ticketID, at: message.updatedAt, actor: "whatsapp", action: "delivery_failed",
                                 from: change.previous.rawValue, to: WhatsAppMessageStatus.failed.rawValue,
                                 detail: .object(detail), in: c)
    }
}
