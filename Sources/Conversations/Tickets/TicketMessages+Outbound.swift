import GatewayKit
import Messaging
import Storage

/// Outbound ticket messages (agent replies, CSAT surveys): written with the WhatsApp message that sends them, and
/// updated as that message's delivery status moves.
extension TicketMessages {
    /// Attaches the queued WhatsApp message `outbound` to the ticket; returns the new row's id. `type` is the
    /// message's kind (`text`, `template`, or a media message's own kind, `image`…); `text` is what the customer reads
    /// (the reply, the template body filled in, a caption); `content` the template's name, language and parameters,
    /// or the media's type, link and file name.
    static func insertOutbound(ticketID: Int64, type: String, outbound: WhatsAppOutboundMessage, text: String?,
                               content: JSONValue?, sender: String, now: Int64,
                               in c: any DatabaseConnection) throws -> Int64 {
        try c.run("""
            INSERT INTO ticket_messages (ticket_id, direction, type, text, content, sender, outbound_message_id,
                                         sent_at, created_at, delivery_status, delivery_updated_at)
            VALUES (?, 'out', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(ticketID), .text(type), SQLValue(text),
                  SQLValue(content.map(JSONWriter.string)), .text(sender), .integer(outbound.id), .integer(now),
                  .integer(now), .text(outbound.status.rawValue), .integer(now)])
        let id = c.lastInsertRowID
        try TicketEventRows.message(ticketID: ticketID, at: now, in: c)
        return id
    }

    /// The ticket message sending WhatsApp message `outboundMessageID`, if any.
    static func outbound(_ outboundMessageID: Int64, in c: any DatabaseConnection) throws -> (id: Int64, ticketID: Int64)? {
        guard let row = try c.queryOne("SELECT id, ticket_id FROM ticket_messages WHERE outbound_message_id = ?",
                                       [.integer(outboundMessageID)]),
              let id = row.int64("id"), let ticketID = row.int64("ticket_id") else { return nil }
        return (id, ticketID)
    }

    /// Copies the status, error and WhatsApp id of `message` onto ticket message `id`.
    static func recordDelivery(_ id: Int64, of message: WhatsAppOutboundMessage, in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE ticket_messages SET delivery_status = ?, delivery_error_code = ?, delivery_error_title = ?,
                delivery_error_detail = ?, delivery_updated_at = ?, wa_message_id = coalesce(wa_message_id, ?)
            WHERE id = ?
            """, [.text(message.status.rawValue), SQLValue(message.error?.code), SQLValue(message.error?.title),
                  SQLValue(message.error?.detail), .integer(message.updatedAt), SQLValue(message.wamid),
                  .integer(id)])
    }
}
