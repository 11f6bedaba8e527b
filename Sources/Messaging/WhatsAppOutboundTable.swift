import Storage

/// Reads and inserts rows of `whatsapp_outbound_messages` (status changes go through ``WhatsAppMessageLedger``).
/// The read functions are what other features call to see how their messages fared, e.g. the ticket phase asking for
/// `purpose: "csat", reference: ticketID`.
public enum WhatsAppOutboundTable {
    public static func message(id: Int64, in connection: any DatabaseConnection) throws -> WhatsAppOutboundMessage? {
        try one(byID, .integer(id), in: connection)
    }

    /// By the idempotency key given to ``WhatsAppSender/enqueue(_:in:)``.
    public static func message(idempotencyKey: String,
                               in connection: any DatabaseConnection) throws -> WhatsAppOutboundMessage? {
        try one(byIdempotencyKey, .text(idempotencyKey), in: connection)
    }

    /// The messages sent for one purpose and reference, oldest first.
    public static func messages(purpose: String, reference: String, limit: Int = 100,
                                in connection: any DatabaseConnection) throws -> [WhatsAppOutboundMessage] {
        try connection.query("""
            SELECT \(WhatsAppOutboundMessage.columns) FROM whatsapp_outbound_messages
            WHERE purpose = ? AND reference = ? ORDER BY id LIMIT ?
            """, [.text(purpose), .text(reference), .integer(Int64(limit))]).compactMap(WhatsAppOutboundMessage.init(row:))
    }

    static func message(outboxKey: String, in connection: any DatabaseConnection) throws -> WhatsAppOutboundMessage? {
        try one(byOutboxKey, .text(outboxKey), in: connection)
    }

    static func message(wamid: String, in connection: any DatabaseConnection) throws -> WhatsAppOutboundMessage? {
        try one(byWamid, .text(wamid), in: connection)
    }

    /// Inserts a queued message; returns its id.
    static func insert(_ checked: CheckedWhatsAppSend, requestBody: String, outboxKey: String,
                       now: Int64, in connection: any DatabaseConnection) throws -> Int64 {
        let send = checked.send
        try connection.run("""
            INSERT INTO whatsapp_outbound_messages (recipient, recipient_type, content_kind, template_name, language,
                request_body, purpose, reference, idempotency_key, outbox_key, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(send.recipient.value), .text(send.recipient.kind), .text(send.content.kind),
                  SQLValue(checked.template?.name), SQLValue(checked.language), .text(requestBody), .text(send.purpose),
                  SQLValue(send.reference), .text(send.idempotencyKey), .text(outboxKey), .integer(now), .integer(now)])
        return connection.lastInsertRowID
    }

    // Each lookup's SQL is built once: the wamid lookup runs on the writer for every delivery status, and SQL built
    // anew per call costs the string's assembly and a full comparison in the connection's statement cache.
    private static let byID = lookup(where: "id")
    private static let byIdempotencyKey = lookup(where: "idempotency_key")
    private static let byOutboxKey = lookup(where: "outbox_key")
    private static let byWamid = lookup(where: "wamid")

    private static func lookup(where column: String) -> String {
        "SELECT \(WhatsAppOutboundMessage.columns) FROM whatsapp_outbound_messages WHERE \(column) = ?"
    }

    private static func one(_ sql: String, _ value: SQLValue,
                            in connection: any DatabaseConnection) throws -> WhatsAppOutboundMessage? {
        try connection.queryOne(sql, [value]).flatMap(WhatsAppOutboundMessage.init(row:))
    }
}
