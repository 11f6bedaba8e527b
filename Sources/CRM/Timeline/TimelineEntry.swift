import GatewayKit
import Storage

/// A chat-history entry on a deal's or ticket's timeline: who created the record (creator badge), a truncated
/// preview of the conversation, and a deeplink to the room. Written when a record is created with a room; the
/// preview is settled once by the background fetch, and the entry never changes after that.
public struct TimelineEntry: Sendable, Equatable {
    /// Where the chat-history preview stands.
    public enum PreviewStatus: String, Sendable {
        /// The Chat Panel fetch has not finished yet.
        case pending
        case fetched
        /// The Chat Panel could not provide it: the entry keeps the deeplink and creator badge only.
        case unavailable
    }

    public let id: Int64
    public let kind: RecordKind
    public let recordID: Int64
    public let roomID: String
    /// "Bot", "AI", or nil for default creator behaviour.
    public let creatorLabel: String?
    /// nil when no room link base was configured as the entry was written.
    public let roomDeeplink: String?
    public let previewStatus: PreviewStatus
    public let preview: String?
    public let createdAt: Int64

    static let columns = "id, kind, record_id, room_id, creator_label, room_deeplink, preview_status, preview, created_at"

    init?(row: Row) {
        guard let id = row.int64("id"), let kind = row.string("kind").flatMap(RecordKind.init(rawValue:)),
              let recordID = row.int64("record_id"), let roomID = row.string("room_id"),
              let deeplink = row.string("room_deeplink"),
              let status = row.string("preview_status").flatMap(PreviewStatus.init(rawValue:)),
              let createdAt = row.int64("created_at")
        else { return nil }
        self.id = id
        self.kind = kind
        self.recordID = recordID
        self.roomID = roomID
        self.creatorLabel = row.string("creator_label")
        self.roomDeeplink = deeplink.isEmpty ? nil : deeplink
        self.previewStatus = status
        self.preview = row.string("preview")
        self.createdAt = createdAt
    }

    /// The API form (`GET /v1/timeline`). Why a preview is missing stays internal (logged): agents see no error, only an entry without preview.
    public var json: JSONValue {
        [
            "id": .integer(id), "type": "bot_creation", kind.idParameter: .integer(recordID),
            "room_id": .string(roomID), "creator_label": JSONValue(creatorLabel),
            "room_deeplink": JSONValue(roomDeeplink),
            "preview_status": .string(previewStatus.rawValue), "chat_history_preview": JSONValue(preview),
            "created_at": .string(Timestamps.rfc3339(createdAt)),
        ]
    }
}
