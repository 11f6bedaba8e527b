import Delivery
import Storage

/// The SQL of `timeline_entries`. Nothing here edits a settled entry (a trigger refuses it too); the only delete is
/// the retention purge (`retention.timeline`, a year by default) and an erasure.
public enum TimelineTable {
    /// Writes the entry of a record just created with a room, its preview still to be fetched. Without a deeplink (no
    /// `omnichannel.room_url_base`) the NOT NULL column holds an empty text, which ``TimelineEntry`` reads as none:
    /// cheaper than rebuilding a year of entries to drop the constraint.
    public static func insert(for record: StoredRecord, deeplink: String?, in connection: any DatabaseConnection) throws {
        guard let roomID = record.roomID else { return }
        try connection.run("""
            INSERT INTO timeline_entries (kind, record_id, room_id, creator_label, room_deeplink, next_fetch_at,
                                          created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(record.kind.rawValue), .integer(record.id), .text(roomID), SQLValue(record.creator?.label),
                  .text(deeplink ?? ""), .integer(record.createdAt), .integer(record.createdAt)])
    }

    /// A record's entries, oldest first.
    public static func list(_ kind: RecordKind, recordID: Int64,
                            in connection: any DatabaseConnection) throws -> [TimelineEntry] {
        try connection.query("""
            SELECT \(TimelineEntry.columns) FROM timeline_entries WHERE kind = ? AND record_id = ? ORDER BY id
            """, [.text(kind.rawValue), .integer(recordID)]).compactMap(TimelineEntry.init(row:))
    }

    /// Entries whose preview fetch is due, oldest first.
    static func due(now: Int64, limit: Int, in connection: any DatabaseConnection) throws -> [PendingPreview] {
        try connection.query("""
            SELECT id, kind, record_id, room_id, fetch_attempts FROM timeline_entries
            WHERE preview_status = 'pending' AND next_fetch_at <= ? ORDER BY next_fetch_at, id LIMIT ?
            """, [.integer(now), .integer(Int64(limit))]).compactMap(PendingPreview.init(row:))
    }

    /// Records one fetch outcome; only a still-pending entry changes.
    static func apply(_ outcome: PreviewOutcome, in connection: any DatabaseConnection) throws {
        switch outcome.result {
        case .fetched(let preview):
            try connection.run("""
                UPDATE timeline_entries SET preview_status = 'fetched', preview = ?, preview_error = NULL,
                                            fetch_attempts = fetch_attempts + 1
                WHERE id = ? AND preview_status = 'pending'
                """, [.text(preview), .integer(outcome.entry.id)])
        case .retry(let at, let failure):
            try connection.run("""
                UPDATE timeline_entries SET next_fetch_at = ?, preview_error = ?, fetch_attempts = fetch_attempts + 1
                WHERE id = ? AND preview_status = 'pending'
                """, [.integer(at), .text(failure.detail), .integer(outcome.entry.id)])
        case .unavailable(let failure):
            try connection.run("""
                UPDATE timeline_entries SET preview_status = 'unavailable', preview_error = ?,
                                            fetch_attempts = fetch_attempts + 1
                WHERE id = ? AND preview_status = 'pending'
                """, [.text(failure.detail), .integer(outcome.entry.id)])
        }
    }

    /// Deletes entries created before `cutoff` (at most `limit`, so one transaction stays short); returns how many.
    public static func purge(before cutoff: Int64, limit: Int, in connection: any DatabaseConnection) throws -> Int {
        try connection.run("""
            DELETE FROM timeline_entries WHERE id IN (
                SELECT id FROM timeline_entries WHERE created_at < ? ORDER BY created_at LIMIT ?)
            """, [.integer(cutoff), .integer(Int64(limit))])
        return connection.changes
    }
}

/// A timeline entry waiting for its chat-history preview.
struct PendingPreview: Sendable, Equatable {
    let id: Int64
    let kind: RecordKind
    let recordID: Int64
    let roomID: String
    /// Fetches already made.
    let attempts: Int

    init?(row: Row) {
        guard let id = row.int64("id"), let kind = row.string("kind").flatMap(RecordKind.init(rawValue:)),
              let recordID = row.int64("record_id"), let roomID = row.string("room_id")
        else { return nil }
        self.id = id
        self.kind = kind
        self.recordID = recordID
        self.roomID = roomID
        self.attempts = row.int("fetch_attempts") ?? 0
    }
}

/// What one fetch means for its entry.
struct PreviewOutcome: Sendable {
    enum Result: Sendable {
        case fetched(String)
        case retry(at: Int64, ChatHistoryFailure)
        case unavailable(ChatHistoryFailure)
    }

    let entry: PendingPreview
    let result: Result
}
