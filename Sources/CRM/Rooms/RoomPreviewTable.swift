import Storage

/// The one deal and one ticket each chat room shows. **Latest wins by CRM creation time**: a record takes a room's
/// slot when its `(created_at, id)` is greater than the shown record's. Ids grow in commit order (single writer,
/// AUTOINCREMENT), so two records created in the same millisecond are ordered by which committed later — the
/// later one wins, deterministically. Deleting the shown record empties the slot (the room goes back to its empty
/// state; an older record does not come back).
public enum RoomPreviewTable {
    /// Offers `record` (just created, with a room) to its room; true when it is now the room's preview.
    public static func offer(_ record: StoredRecord, in connection: any DatabaseConnection) throws -> Bool {
        guard let roomID = record.roomID else { return false }
        try connection.run("""
            INSERT INTO room_previews (room_id, kind, record_id, record_created_at, updated_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (room_id, kind) DO UPDATE SET
                record_id = excluded.record_id, record_created_at = excluded.record_created_at,
                updated_at = excluded.updated_at
            WHERE room_previews.record_id IS NULL
               OR (excluded.record_created_at, excluded.record_id)
                  > (room_previews.record_created_at, room_previews.record_id)
            """, [.text(roomID), .text(record.kind.rawValue), .integer(record.id), .integer(record.createdAt),
                  .integer(record.createdAt)])
        return connection.changes == 1
    }

    /// True when `record` is what its room shows.
    public static func isShowing(_ record: StoredRecord, in connection: any DatabaseConnection) throws -> Bool {
        guard let roomID = record.roomID else { return false }
        return try connection.queryOne("""
            SELECT 1 AS shown FROM room_previews WHERE room_id = ? AND kind = ? AND record_id = ?
            """, [.text(roomID), .text(record.kind.rawValue), .integer(record.id)]) != nil
    }

    /// Empties the slot if `record` is what its room shows; true when it did.
    public static func clear(_ record: StoredRecord, now: Int64, in connection: any DatabaseConnection) throws -> Bool {
        guard let roomID = record.roomID else { return false }
        try connection.run("""
            UPDATE room_previews SET record_id = NULL, record_created_at = NULL, updated_at = ?
            WHERE room_id = ? AND kind = ? AND record_id = ?
            """, [.integer(now), .text(roomID), .text(record.kind.rawValue), .integer(record.id)])
        return connection.changes == 1
    }

    /// The record id each kind's slot of `roomID` shows (absent kinds show nothing).
    public static func shown(in roomID: String, in connection: any DatabaseConnection) throws -> [RecordKind: Int64] {
        var shown: [RecordKind: Int64] = [:]
        for row in try connection.query(
            "SELECT kind, record_id FROM room_previews WHERE room_id = ? AND record_id IS NOT NULL", [.text(roomID)]) {
            if let kind = row.string("kind").flatMap(RecordKind.init(rawValue:)), let id = row.int64("record_id") {
                shown[kind] = id
            }
        }
        return shown
    }
}
