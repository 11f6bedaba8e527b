import GatewayKit
import Storage

/// The `ticket_notes` table: internal notes agents leave on a ticket. They live apart from `ticket_messages` so no
/// code path that sends or lists the conversation can pick one up: a note is never sent to the customer.
public enum TicketNotes {
    public static let maxLength = 4_000

    /// Inserts a note and returns it as the API shows it.
    static func insert(ticketID: Int64, author: String, text: String, now: Int64,
                       in c: any DatabaseConnection) throws -> JSONValue {
        try c.run("INSERT INTO ticket_notes (ticket_id, author, text, created_at) VALUES (?, ?, ?, ?)",
                  [.integer(ticketID), .text(author), .text(text), .integer(now)])
        return json(id: c.lastInsertRowID, ticketID: ticketID, author: author, text: text, at: now)
    }

    /// Oldest first: `{"id", "ticket_id", "author", "text", "created_at"}`.
    public static func list(_ ticketID: Int64, page: TicketPage, in c: any DatabaseConnection) throws -> [JSONValue] {
        try c.query("""
            SELECT id, author, text, created_at FROM ticket_notes WHERE ticket_id = ? AND id > ? ORDER BY id LIMIT ?
            """, [.integer(ticketID), .integer(page.after), .integer(Int64(page.limit))]).map { row in
            json(id: row.int64("id") ?? 0, ticketID: ticketID, author: row.string("author") ?? "",
                 text: row.string("text") ?? "", at: row.int64("created_at") ?? 0)
        }
    }

    private static func json(id: Int64, ticketID: Int64, author: String, text: String, at: Int64) -> JSONValue {
        ["id": .integer(id), "ticket_id": .integer(ticketID), "author": .string(author), "text": .string(text),
         "created_at": .string(Timestamps.rfc3339(at))]
    }
}
