import Delivery
import GatewayKit
import Storage

/// An edit or deletion of a message already on a ticket, by the customer or from the WhatsApp Business app. An edit replaces the shown words and keeps the
/// earlier ones in `content.edits` (`[{"text", "replaced_at"}]`); a deletion removes the words, caption and media
/// reference from the thread (`content.deleted_at` says when; a `message_deleted` history row without the words) and
/// keeps the words only in ``TicketMessageDeletions`` until retention purges them. Neither becomes a message of its
/// own.
enum TicketMessageChanges {
    /// Applies `message` (an `edit` or a `revoke`) at `at` (unix ms) to the message it names in `direction` (`in`: a
    /// customer's; `out`: one sent from the WhatsApp Business app); returns the ticket of the message it changed, nil
    /// when that message is on no ticket (sent before the gateway, or its item failed).
    static func apply(_ message: InboundMessage, direction: String = "in", actor: String, at: Int64,
                      in c: any DatabaseConnection) throws -> Int64? {
        guard let originalID = message.edit?.originalMessageID ?? message.revokedMessageID,
              let row = try c.queryOne("""
                SELECT id, ticket_id, text, caption, content FROM ticket_messages WHERE wa_message_id = ? AND direction = ?
                """, [.text(originalID), .text(direction)]),
              let id = row.int64("id"), let ticketID = row.int64("ticket_id") else { return nil }
        var content = row.string("content").flatMap { try? JSONParser.parse(Array($0.utf8)) }?.objectValue ?? [:]
        if let edit = message.edit {
            var edits = content["edits"]?.arrayValue ?? []
            edits.append(["text": JSONValue(row.string("text")), "replaced_at": .string(Timestamps.rfc3339(at))])
            content["edits"] = .array(edits)
            // A media message's words are its caption: an edit changes both.
            try c.run("""
                UPDATE ticket_messages SET text = ?, caption = CASE WHEN caption IS NULL THEN NULL ELSE ? END, content = ?
                WHERE id = ?
                """, [SQLValue(edit.text), SQLValue(edit.text), .text(JSONWriter.string(.object(content))),
                      .integer(id)])
        } else {
            try TicketMessageDeletions.keep(id, ticketID: ticketID, waMessageID: originalID, text: row.string("text"),
                                            caption: row.string("caption"), at: at, in: c)
            try TicketHistory.record(ticketID, at: at, actor: actor, action: "message_deleted", to: String(id),
                                     detail: ["ticket_message_id": .integer(id), "wa_message_id": .string(originalID)],
                                     in: c)
            try c.run("""
                UPDATE ticket_messages SET text = NULL, caption = NULL, media_id = NULL, media_mime_type = NULL,
                    media_sha256 = NULL, media_filename = NULL, content = ?
                WHERE id = ?
                """, [.text(JSONWriter.string(["deleted_at": .string(Timestamps.rfc3339(at))])), .integer(id)])
        }
        return ticketID
    }
}
