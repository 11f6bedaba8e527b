import Storage

/// The read side of deals and tickets: a record, a page of them, a record's timeline and a room's preview, each one
/// consistent snapshot. Blocking reads (callers run them off request threads).
public struct RecordDirectory: Sendable {
    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The live (not deleted) record, nil when unknown or deleted.
    public func record(_ kind: RecordKind, id: Int64) throws -> StoredRecord? {
        try database.read { try RecordTable.of(kind).find(id, in: $0) }.flatMap { $0.isDeleted ? nil : $0 }
    }

    /// Live records matching `query`, newest first.
    public func list(_ kind: RecordKind, _ query: RecordQuery) throws -> [StoredRecord] {
        try database.read { try RecordTable.of(kind).list(query, in: $0) }
    }

    /// The record's timeline oldest first, nil when the record is unknown or deleted.
    public func timeline(_ kind: RecordKind, recordID: Int64) throws -> [TimelineEntry]? {
        try database.read { connection in
            guard let record = try RecordTable.of(kind).find(recordID, in: connection), !record.isDeleted else {
                return nil
            }
            return try TimelineTable.list(kind, recordID: recordID, in: connection)
        }
    }

    /// What the room's Deal & Ticket section shows.
    public func room(_ roomID: String) throws -> RoomPreview {
        try database.read { try RoomPreview.read(roomID, in: $0) }
    }
}
