import GatewayKit
import Messaging
import Storage

/// The `ticket_media` table: the download queue of inbound media and, per message, what became of it.
public enum TicketMediaTable {
    /// One download to attempt.
    struct Job: Sendable, Equatable {
        let ticketMessageID: Int64
        let mediaID: String
        let kind: WhatsAppMediaType
        /// What the webhook said of the file (Meta's metadata may say it again).
        let declaredMIMEType: String?
        let declaredSHA256: String?
        /// Attempts so far, this one included.
        let attempts: Int
    }

    /// Queues the download of ticket message `ticketMessageID`'s media, due at once; a message queued before is left
    /// as it is.
    package static func enqueue(ticketMessageID: Int64, ticketID: Int64, mediaID: String, kind: WhatsAppMediaType,
                                now: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO ticket_media (ticket_message_id, ticket_id, media_id, kind, next_attempt_at, created_at,
                                      updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_message_id) DO NOTHING
            """, [.integer(ticketMessageID), .integer(ticketID), .text(mediaID), .text(kind.rawValue), .integer(now),
                  .integer(now), .integer(now)])
    }

    /// Takes up to `limit` due downloads: each counts an attempt and is not due again before `leaseUntil`, so an
    /// attempt lost with the process is retried then, and never by two workers at once.
    static func claim(now: Int64, limit: Int, leaseUntil: Int64, in c: any DatabaseConnection) throws -> [Job] {
        let jobs: [Job] = try c.query("""
            SELECT d.ticket_message_id, d.media_id, d.kind, d.attempts + 1 AS attempts,
                   m.media_mime_type, m.media_sha256
            FROM ticket_media d \(c.dialect.indexedBy("ticket_media_due"))
            LEFT JOIN ticket_messages m ON m.id = d.ticket_message_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.ticket_message_id LIMIT ?
            """, [.integer(now), .integer(Int64(limit))]).compactMap { row in
            guard let id = row.int64("ticket_message_id"), let mediaID = row.string("media_id"),
                  let kind = row.string("kind").flatMap(WhatsAppMediaType.init(rawValue:)) else { return nil }
            return Job(ticketMessageID: id, mediaID: mediaID, kind: kind, declaredMIMEType: row.string("media_mime_type"),
                       declaredSHA256: row.string("media_sha256"), attempts: row.int("attempts") ?? 1)
        }
        for job in jobs {
            try c.run("""
                UPDATE ticket_media SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ?
                WHERE ticket_message_id = ?
                """, [.integer(leaseUntil), .integer(now), .integer(job.ticketMessageID)])
        }
        return jobs
    }

    /// Records the stored file of a pending download.
    static func markStored(_ id: Int64, sha256: String, sizeBytes: Int, mimeType: String, now: Int64,
                           in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE ticket_media SET status = 'stored', sha256 = ?, size_bytes = ?, mime_type = ?, stored_at = ?,
                failure_reason = NULL, failure_detail = NULL, updated_at = ?
            WHERE ticket_message_id = ? AND status = 'pending'
            """, [.text(sha256), .integer(Int64(sizeBytes)), .text(mimeType), .integer(now), .integer(now),
                  .integer(id)])
    }

    /// Records why a pending download will not be tried again (what Meta declared of the file is kept when known).
    static func markFailed(_ id: Int64, reason: String, detail: String, mimeType: String?, sizeBytes: Int?,
                           now: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE ticket_media SET status = 'failed', failure_reason = ?, failure_detail = ?,
                mime_type = coalesce(?, mime_type), size_bytes = coalesce(?, size_bytes), updated_at = ?
            WHERE ticket_message_id = ? AND status = 'pending'
            """, [.text(reason), .text(detail), SQLValue(mimeType), SQLValue(sizeBytes.map(Int64.init)),
                  .integer(now), .integer(id)])
    }

    /// Puts a pending download back in the queue for `at`, with what went wrong this time.
    static func retry(_ id: Int64, at: Int64, reason: String, detail: String, now: Int64,
                      in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE ticket_media SET next_attempt_at = ?, failure_reason = ?, failure_detail = ?, updated_at = ?
            WHERE ticket_message_id = ? AND status = 'pending'
            """, [.integer(at), .text(reason), .text(detail), .integer(now), .integer(id)])
    }

    /// How many downloads have `status`.
    package static func count(status: String, in c: any DatabaseConnection) throws -> Int {
        try c.queryOne("SELECT count(*) AS n FROM ticket_media WHERE status = ?", [.text(status)])?.int("n") ?? 0
    }

    /// Removes, right after the commit, each of the files `sha256s` that no stored row names any more (two messages
    /// with the same bytes share one file, kept while either is stored).
    static func removeUnused(_ sha256s: Set<String>, from files: MediaFileStore, in c: any DatabaseConnection) throws {
        for sha256 in sha256s where try c.queryOne(
            """
            SELECT 1 FROM ticket_media \(c.dialect.indexedBy("ticket_media_by_sha256"))
            WHERE sha256 = ? AND status = 'stored'
            """,
            [.text(sha256)]) == nil {
            c.afterCommit("media-remove:\(sha256)") { files.remove(sha256) }
        }
    }
}

extension TicketMediaTable {
    /// A message's media as `GET /v1/media/{id}` serves it (``TicketMediaFiles``).
    struct StoredMedia: Sendable, Equatable {
        let ticketID: Int64
        let kind: WhatsAppMediaType
        /// `pending`, `stored`, `failed`, `expired` or `erased`.
        let status: String
        let mimeType: String?
        let sha256: String?
        /// The document's original name, when the customer's WhatsApp sent one.
        let filename: String?
    }

    /// The media of ticket message `ticketMessageID`, or nil when it has none.
    static func media(ofMessage ticketMessageID: Int64, in c: any DatabaseConnection) throws -> StoredMedia? {
        guard let row = try c.queryOne("""
            SELECT d.ticket_id, d.kind, d.status, d.mime_type, d.sha256, m.media_filename
            FROM ticket_media d LEFT JOIN ticket_messages m ON m.id = d.ticket_message_id
            WHERE d.ticket_message_id = ?
            """, [.integer(ticketMessageID)]),
              let ticketID = row.int64("ticket_id"), let status = row.string("status"),
              let kind = row.string("kind").flatMap(WhatsAppMediaType.init(rawValue:)) else { return nil }
        return StoredMedia(ticketID: ticketID, kind: kind, status: status, mimeType: row.string("mime_type"),
                           sha256: row.string("sha256"), filename: row.string("media_filename"))
    }

    /// The SQL expression (over `ticket_messages`) of a message's download as JSON, for the message documents:
    /// `{"status", "reason", "detail", "mime_type", "sha256", "size_bytes", "attempts", "stored_at", "expired_at"}`.
    static func downloadColumn(_ dialect: SQLDialect) -> String {
        """
        (SELECT \(dialect.jsonObject("""
            'status', status, 'reason', failure_reason, 'detail', failure_detail, 'mime_type', mime_type,
            'sha256', sha256, 'size_bytes', size_bytes, 'attempts', attempts, 'stored_at', stored_at,
            'expired_at', expired_at
            """))
         FROM ticket_media WHERE ticket_message_id = ticket_messages.id) AS media_download
        """
    }
}

extension TicketMediaTable {
    /// The `download` member of a message's `media` from ``downloadColumn``: times as RFC 3339, and `url` (the path
    /// that serves the file) once it is stored; nil for messages whose media is not downloaded (agents' sends).
    static func downloadJSON(_ column: String?, ticketMessageID: Int64?) -> JSONValue? {
        guard let column, case .object(var download)? = try? JSONParser.parse(Array(column.utf8)) else { return nil }
        for key in ["stored_at", "expired_at"] {
            download[key] = download[key]?.int64Value.map { .string(Timestamps.rfc3339($0)) } ?? .null
        }
        if download["status"] == "stored", let ticketMessageID { download["url"] = .string("/v1/media/\(ticketMessageID)") }
        return .object(download)
    }
}
