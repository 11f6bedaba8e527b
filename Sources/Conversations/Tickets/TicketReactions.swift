import GatewayKit
import Storage

/// The reactions a ticket's messages carry now: customers react to a message (the agent's reply, their own) with an
/// emoji, change it, or take it back with an empty one. Each reaction is also kept as its own `reaction` row in the
/// thread (the history); this reads them all once per listing and attaches, to each message, the emoji each person
/// shows on it now.
enum TicketReactions {
    /// `[wa message id: [{"emoji", "sender", "at"}]]` for ticket `ticketID`, removed reactions left out.
    static func current(ticketID: Int64, in c: any DatabaseConnection) throws -> [String: [JSONValue]] {
        let rows = try c.query("""
            SELECT \(c.dialect.jsonText("content", path: ["reaction", "message_id"])) AS target,
                   \(c.dialect.jsonText("content", path: ["reaction", "emoji"])) AS emoji, sender, sent_at
            FROM ticket_messages WHERE ticket_id = ? AND type = 'reaction' ORDER BY sent_at, id
            """, [.integer(ticketID)])
        var latest: [String: [String: (emoji: String?, at: Int64)]] = [:]  // target → sender → the last one
        for row in rows {
            guard let target = row.string("target") else { continue }
            latest[target, default: [:]][row.string("sender") ?? ""] = (row.string("emoji"), row.int64("sent_at") ?? 0)
        }
        return latest.mapValues { bySender in
            bySender.sorted { $0.value.at < $1.value.at }.compactMap { sender, reaction in
                reaction.emoji.map { ["emoji": .string($0), "sender": .string(sender),
                                      "at": .string(Timestamps.rfc3339(reaction.at))] }
            }
        }.filter { !$0.value.isEmpty }
    }

    /// `message` (a listed ticket message) with `"reactions": [...]` — empty when nobody reacts to it now.
    static func attach(_ reactions: [String: [JSONValue]], to message: JSONValue) -> JSONValue {
        guard case .object(var object) = message else { return message }
        object["reactions"] = .array(message["wa_message_id"]?.stringValue.flatMap { reactions[$0] } ?? [])
        return .object(object)
    }
}
