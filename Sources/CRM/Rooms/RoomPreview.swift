import GatewayKit
import Storage

/// What a chat room's Deal & Ticket section shows: its latest deal and latest ticket, either possibly absent.
public struct RoomPreview: Sendable, Equatable {
    public let roomID: String
    public let deal: StoredRecord?
    public var ticket: StoredRecord?

    /// Reads the room in one snapshot, so the pair is consistent.
    public static func read(_ roomID: String, in connection: any DatabaseConnection) throws -> RoomPreview {
        try connection.readTransaction {
            let shown = try RoomPreviewTable.shown(in: roomID, in: connection)
            return RoomPreview(roomID: roomID,
                               deal: try shown[.deal].flatMap { try RecordTable.deals.find($0, in: connection) },
                               ticket: try shown[.ticket].flatMap { try RecordTable.tickets.find($0, in: connection) })
        }
    }

    public func json(_ links: RecordLinks) -> JSONValue {
        ["room_id": .string(roomID), "deal": deal?.json(links) ?? .null, "ticket": ticket?.json(links) ?? .null]
    }
}
