import Delivery
import GatewayKit
import Storage

/// The `ticket_messages` table: the conversation of a ticket. Customer messages (`direction = 'in'`) are stored
/// once per WhatsApp message id (a partial UNIQUE index); outbound ones (`'out'`: agent replies, CSAT surveys) link to
/// their WhatsApp message through `outbound_message_id` (`whatsapp_outbound_messages.id`) and carry its delivery.
public enum TicketMessages {
    /// True when the inbound WhatsApp message `waMessageID` is already attached to some ticket.
    package static func containsInbound(_ waMessageID: String, in c: any DatabaseConnection) throws -> Bool {
        try ticketID(ofInbound: waMessageID, in: c) != nil
    }

    /// The ticket an inbound WhatsApp message is attached to, or nil.
    package static func ticketID(ofInbound waMessageID: String, in c: any DatabaseConnection) throws -> Int64? {
        try c.queryOne("SELECT ticket_id FROM ticket_messages WHERE wa_message_id = ? AND direction = 'in'",
                       [.text(waMessageID)])?.int64("ticket_id")
    }

    /// The ticket message and ticket an inbound WhatsApp message (or, `echo`, a message sent from the WhatsApp
    /// Business app) was filed as, or nil.
    package static func filed(_ waMessageID: String, echo: Bool,
                              in c: any DatabaseConnection) throws -> (id: Int64, ticketID: Int64)? {
        let direction = echo ? "direction = 'out' AND outbound_message_id IS NULL" : "direction = 'in'"
        guard let row = try c.queryOne("SELECT id, ticket_id FROM ticket_messages WHERE wa_message_id = ? AND "
                                       + direction, [.text(waMessageID)]),
              let id = row.int64("id"), let ticketID = row.int64("ticket_id") else { return nil }
        return (id, ticketID)
    }

    /// Attaches a customer message: its words (text, button/list title or caption) in `text`, the media reference
    /// (id, MIME type, SHA-256, file name) for media types, and the structured parts of other types (location,
    /// interactive, reaction, forwarded mark, the ad it came from, Meta's errors for content it could not deliver,
    /// unmodelled content) as JSON in `content`.
    package static func insertInbound(_ m: InboundMessage, ticketID: Int64, sender: String, now: Int64,
                              in c: any DatabaseConnection) throws {
        _ = try insert(m, direction: "in", ticketID: ticketID, sender: sender, now: now, in: c)
    }

    /// True when the echo of `waMessageID` (a message sent from the WhatsApp Business app) is already on a ticket.
    package static func containsEcho(_ waMessageID: String, in c: any DatabaseConnection) throws -> Bool {
        try c.queryOne("""
            SELECT 1 FROM ticket_messages WHERE wa_message_id = ? AND direction = 'out' AND outbound_message_id IS NULL
            """, [.text(waMessageID)]) != nil
    }

    /// Attaches a message a person sent the customer from the WhatsApp Business app: outbound, with no outbox row of
    /// ours (`outbound_message_id` NULL), the same columns as a customer's message; returns its id.
    package static func insertEcho(_ m: InboundMessage, ticketID: Int64, sender: String, now: Int64,
                                   in c: any DatabaseConnection) throws -> Int64 {
        try insert(m, direction: "out", ticketID: ticketID, sender: sender, now: now, in: c)
    }

    /// Inserts the message and its feed event; returns the message's id.
    private static func insert(_ m: InboundMessage, direction: String, ticketID: Int64, sender: String, now: Int64,
                               in c: any DatabaseConnection) throws -> Int64 {
        try c.run("""
            INSERT INTO ticket_messages (ticket_id, direction, wa_message_id, type, text, content, media_id,
                                         media_mime_type, media_sha256, media_filename, caption, context_message_id,
                                         sender, sent_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(ticketID), .text(direction), .text(m.id), .text(m.type.rawValue), SQLValue(m.displayText),
                  SQLValue(content(of: m).map(JSONWriter.string)), SQLValue(m.media?.id),
                  SQLValue(m.media?.mimeType), SQLValue(m.media?.sha256), SQLValue(m.media?.filename),
                  SQLValue(m.media?.caption), SQLValue(m.contextMessageID), .text(sender),
                  .integer(m.timestamp * 1000), .integer(now)])
        let id = c.lastInsertRowID
        try TicketEventRows.message(ticketID: ticketID, at: now, in: c)
        return id
    }

    /// The parts of a message that are neither words nor media, or nil.
    private static func content(of m: InboundMessage) -> JSONValue? {
        var parts: [String: JSONValue] = [:]
        parts.put("location", m.location?.toJSON())
        parts.put("interactive", m.interactive?.toJSON())
        parts.put("button", m.button?.toJSON())
        parts.put("reaction", m.reaction?.toJSON())
        parts.put("order", m.order?.toJSON())
        if !m.sharedContacts.isEmpty { parts["contacts"] = .array(m.sharedContacts.map { $0.toJSON() }) }
        parts.put("forwarded", m.forwarded)
        parts.put("referral", m.referral?.toJSON())
        m.errors.put(in: &parts)
        parts.put("raw", m.raw)
        return parts.isEmpty ? nil : .object(parts)
    }

    /// Oldest first: `{"id", "direction", "wa_message_id", "type", "text", "content", "media": {"id", "mime_type",
    /// "sha256", "filename", "caption", "download": {"status", "reason", …, "url"?} | null} | null, "context_message_id", "sender", "outbound_message_id", "delivery":
    /// {"status", "error": {"code", "title", "detail"} | null, "updated_at"} | null, "sent_at", "created_at"}`.
    /// `delivery` is set for outbound messages (agent replies, CSAT surveys) only. Each message also carries
    /// `"context_ticket_message_id"` (the message on this ticket it replies to, see ``TicketReplyLinks``) and
    /// `"reactions": [{"emoji", "sender", "at"}]`, the emoji each person shows on it now (see ``TicketReactions``);
    /// an outbound message gets its WhatsApp id once the Cloud API accepted it, so reactions to it attach too.
    public static func list(_ ticketID: Int64, page: TicketPage, in c: any DatabaseConnection) throws -> [JSONValue] {
        let reactions = try TicketReactions.current(ticketID: ticketID, in: c)
        let replied = try TicketReplyLinks.ids(ticketID: ticketID, in: c)
        return try c.query("""
            SELECT \(columns(c)) FROM ticket_messages WHERE ticket_id = ? AND id > ? ORDER BY id LIMIT ?
            """, [.integer(ticketID), .integer(page.after), .integer(Int64(page.limit))])
            .map { TicketReplyLinks.attach(replied, to: TicketReactions.attach(reactions, to: json($0))) }
    }

    /// One message as ``list(_:page:in:)`` shows it.
    public static func message(id: Int64, in c: any DatabaseConnection) throws -> JSONValue? {
        try c.queryOne("SELECT \(columns(c)) FROM ticket_messages WHERE id = ?", [.integer(id)]).map(json)
    }

    private static func columns(_ c: any DatabaseConnection) -> String {
        """
        id, direction, wa_message_id, type, text, content, media_id, media_mime_type, media_sha256, media_filename,
        caption, context_message_id, sender, outbound_message_id, sent_at, created_at, delivery_status,
        delivery_error_code, delivery_error_title, delivery_error_detail, delivery_updated_at,
        \(TicketMediaTable.downloadColumn(c.dialect))
        """
    }

    private static func json(_ row: Row) -> JSONValue {
        var media: JSONValue = .null
        if let id = row.string("media_id") {
            media = ["id": .string(id), "mime_type": JSONValue(row.string("media_mime_type")),
                     "sha256": JSONValue(row.string("media_sha256")),
                     "filename": JSONValue(row.string("media_filename")),
                     "caption": JSONValue(row.string("caption")),
                     "download": TicketMediaTable.downloadJSON(row.string("media_download"),
                                                               ticketMessageID: row.int64("id")) ?? .null]
        }
        return [
            "id": JSONValue(row.int64("id")), "direction": JSONValue(row.string("direction")),
            "wa_message_id": JSONValue(row.string("wa_message_id")), "type": JSONValue(row.string("type")),
            "text": JSONValue(row.string("text")),
            "content": row.string("content").flatMap { try? JSONParser.parse(Array($0.utf8)) } ?? .null,
            "media": media, "context_message_id": JSONValue(row.string("context_message_id")),
            "sender": JSONValue(row.string("sender")),
            "outbound_message_id": JSONValue(row.int64("outbound_message_id")), "delivery": delivery(row),
            "sent_at": row.int64("sent_at").map { .string(Timestamps.rfc3339($0)) } ?? .null,
            "created_at": .string(Timestamps.rfc3339(row.int64("created_at") ?? 0)),
        ]
    }

    private static func delivery(_ row: Row) -> JSONValue {
        guard let status = row.string("delivery_status") else { return .null }
        let error: JSONValue = row.string("delivery_error_title").map { title in
            ["code": JSONValue(row.int64("delivery_error_code")), "title": .string(title),
             "detail": JSONValue(row.string("delivery_error_detail"))]
        } ?? .null
        return ["status": .string(status), "error": error,
                "updated_at": row.int64("delivery_updated_at").map { .string(Timestamps.rfc3339($0)) } ?? .null]
    }
}
