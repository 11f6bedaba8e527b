import Access
import GatewayKit
import Storage

/// The customers' media files are personal data: an export lists each one (kind, type, size, SHA-256, status, the
/// path that serves it); an erasure removes the files (unless someone else's message has the same bytes), forgets
/// the media ids and marks them `erased`, so a download still queued never happens.
public struct MediaPersonalData: PersonalDataHolder {
    public let section = "media"
    private let files: MediaFileStore

    public init(files: MediaFileStore) {
        self.files = files
    }

    public func export(_ subject: PersonalDataSubject, in c: any DatabaseConnection) throws -> JSONValue {
        let tickets = ConversationsPersonalData.tickets(subject)
        return .array(try c.query("""
            SELECT ticket_message_id, ticket_id, kind, status, mime_type, sha256, size_bytes, created_at
            FROM ticket_media WHERE ticket_id IN (\(tickets.sql)) ORDER BY ticket_message_id
            """, tickets.parameters).map { row -> JSONValue in
            var media: [String: JSONValue] = ["ticket_message_id": JSONValue(row.int64("ticket_message_id")),
                                              "ticket_id": JSONValue(row.int64("ticket_id")),
                                              "at": .string(Timestamps.rfc3339(row.int64("created_at") ?? 0))]
            for column in ["kind", "status", "mime_type", "sha256"] { media.put(column, row.string(column)) }
            media.put("size_bytes", row.int64("size_bytes"))
            if row.string("status") == "stored", let id = row.int64("ticket_message_id") {
                media["url"] = .string("/v1/media/\(id)")
            }
            return .object(media)
        })
    }

    public func erase(_ subject: PersonalDataSubject, at now: Int64, in c: any DatabaseConnection) throws -> Int {
        let tickets = ConversationsPersonalData.tickets(subject)
        let stored = try c.query("""
            SELECT sha256 FROM ticket_media WHERE ticket_id IN (\(tickets.sql)) AND status = 'stored'
            """, tickets.parameters).compactMap { $0.string("sha256") }
        try c.run("""
            UPDATE ticket_media SET status = 'erased', media_id = '', failure_reason = NULL, failure_detail = NULL,
                updated_at = ?
            WHERE ticket_id IN (\(tickets.sql)) AND status <> 'erased'
            """, [.integer(now)] + tickets.parameters)
        let changed = c.changes
        try TicketMediaTable.removeUnused(Set(stored), from: files, in: c)
        return changed
    }
}
