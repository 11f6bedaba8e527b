import Access
import GatewayKit
import Storage

/// The conversations' part of the personal data: what the person wrote and was sent on their tickets, agents' notes
/// about them, the words of messages they deleted, and their CSAT answers. An erasure keeps every message and answer
/// as a row (direction, type, times, delivery status, rating) and removes the words, media references and comments.
public struct ConversationsPersonalData: PersonalDataHolder {
    public let section = "conversations"

    public init() {}

    public func export(_ subject: PersonalDataSubject, in c: any DatabaseConnection) throws -> JSONValue {
        let tickets = Self.tickets(subject)
        let messages = try c.query("""
            SELECT ticket_id, direction, type, text, caption, media_id, media_mime_type, media_filename, sender, created_at
            FROM ticket_messages WHERE ticket_id IN (\(tickets.sql)) ORDER BY id
            """, tickets.parameters).map { row -> JSONValue in
            var message: [String: JSONValue] = ["ticket_id": .integer(row.int64("ticket_id") ?? 0),
                                                "at": .string(Timestamps.rfc3339(row.int64("created_at") ?? 0))]
            for column in ["direction", "type", "text", "caption", "media_id", "media_mime_type", "media_filename",
                           "sender"] {
                message.put(column, row.string(column))
            }
            return .object(message)
        }
        let notes = try c.query("""
            SELECT ticket_id, author, text, created_at FROM ticket_notes WHERE ticket_id IN (\(tickets.sql)) ORDER BY id
            """, tickets.parameters).map { row -> JSONValue in
            ["ticket_id": .integer(row.int64("ticket_id") ?? 0), "author": JSONValue(row.string("author")),
             "text": JSONValue(row.string("text")), "at": .string(Timestamps.rfc3339(row.int64("created_at") ?? 0))]
        }
        let answers = try c.query("""
            SELECT ticket_id, rating, comment, responded_at FROM csat_response WHERE ticket_id IN (\(tickets.sql))
            ORDER BY id
            """, tickets.parameters).map { row -> JSONValue in
            ["ticket_id": .integer(row.int64("ticket_id") ?? 0), "rating": .integer(row.int64("rating") ?? 0),
             "comment": JSONValue(row.string("comment")),
             "at": .string(Timestamps.rfc3339(row.int64("responded_at") ?? 0))]
        }
        return ["messages": .array(messages), "notes": .array(notes), "csat": .array(answers)]
    }

    public func erase(_ subject: PersonalDataSubject, at now: Int64, in c: any DatabaseConnection) throws -> Int {
        let tickets = Self.tickets(subject)
        var changed = 0
        for sql in [
            """
            UPDATE ticket_messages SET text = NULL, content = NULL, caption = NULL, media_id = NULL,
                media_sha256 = NULL, media_filename = NULL WHERE ticket_id IN (\(tickets.sql))
            """,
            "UPDATE ticket_notes SET text = '(erased)' WHERE ticket_id IN (\(tickets.sql))",
            "DELETE FROM ticket_message_deletions WHERE ticket_id IN (\(tickets.sql))",
            "UPDATE csat_response SET comment = NULL WHERE ticket_id IN (\(tickets.sql))",
        ] {
            try c.run(sql, tickets.parameters)
            changed += c.changes
        }
        return changed
    }

    /// The ids of the person's tickets, as a subquery.
    static func tickets(_ subject: PersonalDataSubject) -> SQLCondition {
        let mine = SQLCondition.membership("contact_id", subject.contactIDs)
        return SQLCondition(sql: "SELECT ticket_id FROM contact_tickets WHERE \(mine.sql)", parameters: mine.parameters)
    }
}
