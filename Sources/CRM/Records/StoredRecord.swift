import Foundation
import GatewayKit

/// A deal or ticket as stored: its typed fields plus what the gateway keeps about its origin.
public struct StoredRecord: Sendable, Equatable {
    public let kind: RecordKind
    public let id: Int64
    public let uniqueID: String
    /// Every field of the kind, `.null` when unset.
    public var fields: [String: JSONValue]
    public let roomID: String?
    public var contactID: String?
    /// As sent at creation; see ``creator``.
    public let creatorFlag: String?
    public let source: String
    public let origin: String
    /// CRM creation time, unix ms: what "latest wins" in a room compares.
    public let createdAt: Int64
    public var updatedAt: Int64
    /// 1 at creation, +1 per update that changed something.
    public var version: Int64
    public var deletedAt: Int64?
    /// Read-only columns the ticket workflow owns (``TicketWorkflowColumns``); empty for deals.
    public var workflow: [String: JSONValue] = [:]

    public var name: String { fields["name"]?.stringValue ?? "" }
    /// The creator label's source; nil = default creator behaviour.
    public var creator: CreatorFlag? { CreatorFlag(payload: creatorFlag) }
    public var isDeleted: Bool { deletedAt != nil }
    /// A WhatsApp conversation ticket: its status and assignee change only through ``TicketWorkflow``.
    public var isConversationTicket: Bool { workflow["channel"] == .string(TicketChannel.whatsapp) }

    /// The API form (`201` of a create, `GET /v1/deals/{id}`, room previews).
    public func json(_ links: RecordLinks) -> JSONValue {
        var members = workflow.merging(fields) { _, field in field }
        members["id"] = .integer(id)
        members["unique_id"] = .string(uniqueID)
        members["external_url"] = JSONValue(links.externalURL(kind, id: id))
        members["room_id"] = JSONValue(roomID)
        members["contact_id"] = JSONValue(contactID)
        members["creator_flag"] = JSONValue(creatorFlag)
        members["creator_label"] = JSONValue(creator?.label)
        members["source"] = .string(source)
        members["origin"] = .string(origin)
        members["created_at"] = .string(Timestamps.rfc3339(createdAt))
        members["updated_at"] = .string(Timestamps.rfc3339(updatedAt))
        members["version"] = .integer(version)
        return .object(members)
    }
}
