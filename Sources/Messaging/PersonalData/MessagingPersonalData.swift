import Access
import GatewayKit
import Storage

/// Messaging's part of the personal data: the WhatsApp messages sent to the person's phones and BSUIDs. An erasure
/// keeps each message as a row (purpose, template, status, times) without recipient or body; one still queued is
/// not sent (failed, "erased").
public struct MessagingPersonalData: PersonalDataHolder {
    public let section = "whatsapp_messages"

    public init() {}

    public func export(_ subject: PersonalDataSubject, in c: any DatabaseConnection) throws -> JSONValue {
        let mine = Self.recipients(subject)
        return .array(try c.query("""
            SELECT id, recipient, content_kind, template_name, language, request_body, purpose, reference, status,
                   created_at
            FROM whatsapp_outbound_messages WHERE \(mine.sql) ORDER BY id
            """, mine.parameters).map { row -> JSONValue in
            var message: [String: JSONValue] = ["id": .integer(row.int64("id") ?? 0),
                                                "at": .string(Timestamps.rfc3339(row.int64("created_at") ?? 0))]
            for column in ["recipient", "content_kind", "template_name", "language", "purpose", "reference", "status"] {
                message.put(column, row.string(column))
            }
            message["body"] = row.string("request_body").flatMap { try? JSONParser.parse(Array($0.utf8)) } ?? .null
            return .object(message)
        })
    }

    public func erase(_ subject: PersonalDataSubject, at now: Int64, in c: any DatabaseConnection) throws -> Int {
        let mine = Self.recipients(subject)
        try c.run("""
            UPDATE whatsapp_outbound_messages
            SET status = CASE status WHEN 'queued' THEN 'failed' ELSE status END,
                error_title = CASE status WHEN 'queued' THEN 'erased' ELSE error_title END,
                failed_at = CASE status WHEN 'queued' THEN ? ELSE failed_at END,
                recipient = 'erased', request_body = '{}', updated_at = ?
            WHERE \(mine.sql)
            """, [.integer(now), .integer(now)] + mine.parameters)
        return c.changes
    }

    private static func recipients(_ subject: PersonalDataSubject) -> SQLCondition {
        .membership("recipient", subject.phones + subject.bsuids)
    }
}
