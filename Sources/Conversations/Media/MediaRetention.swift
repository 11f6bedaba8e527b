import Delivery
import Storage

/// How long downloaded media is kept (`media.retention`, from its download): then the message's media is `expired`
/// and its file removed — right after the commit, and only when no other stored message has the same bytes.
public enum MediaRetention {
    public static func rules(_ settings: MediaSettings, files: MediaFileStore) -> [RetentionRule] {
        let keep = Int64(settings.retentionMilliseconds)
        return [
            RetentionRule("media_files", keep: keep) { before, limit, c in
                let now = before + keep
                let expiring = try c.query("""
                    SELECT ticket_message_id, sha256 FROM ticket_media \(c.dialect.indexedBy("ticket_media_stored"))
                    WHERE status = 'stored' AND stored_at < ? ORDER BY stored_at LIMIT ?
                    """, [.integer(before), .integer(Int64(limit))])
                for row in expiring {
                    try c.run("""
                        UPDATE ticket_media SET status = 'expired', expired_at = ?, updated_at = ?
                        WHERE ticket_message_id = ?
                        """, [.integer(now), .integer(now), SQLValue(row.int64("ticket_message_id"))])
                }
                try TicketMediaTable.removeUnused(Set(expiring.compactMap { $0.string("sha256") }), from: files, in: c)
                return expiring.count
            },
        ]
    }
}
