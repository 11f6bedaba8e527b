import GatewayKit
import Storage

/// Which message a reply answers: a customer who swipes to reply (or an agent's app reply) names the WhatsApp id of
/// the message it quotes (`context_message_id`); the thread links it to that message's own id on the ticket.
enum TicketReplyLinks {
    /// `[wa message id: ticket message id]` of ticket `ticketID`.
    static func ids(ticketID: Int64, in c: any DatabaseConnection) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for row in try c.query("""
            SELECT id, wa_message_id FROM ticket_messages WHERE ticket_id = ? AND wa_message_id IS NOT NULL
            """, [.integer(ticketID)]) {
            if let wamid = row.string("wa_message_id"), let id = row.int64("id") { ids[wamid] = ids[wamid] ?? id }
        }
        return ids
    }

    /// `message` with `"context_ticket_message_id"`: the ticket message it replies to, null when it replies to none or
    /// to one not on this ticket.
    static func attach(_ ids: [String: Int64], to message: JSONValue) -> JSONValue {
        guard case .object(var object) = message else { return message }
        object["context_ticket_message_id"] = message["context_message_id"]?.stringValue
            .flatMap { ids[$0] }.map(JSONValue.integer) ?? .null
        return .object(object)
    }
}
