import CRM
import GatewayKit

/// The Omnichannel refresh API as the gateway calls it (under `OMNICHANNEL_EVENTS_URL`; method, path and schema are
/// the gateway's design):
///
/// | change | request |
/// |---|---|
/// | deal shown in a room | `POST /deals` `{event, room_id, external_id, deal_id, unique_id, name, stage, pipeline, external_url, creator_label, created_at, version}` |
/// | shown deal's name/stage/pipeline changed | `PUT /deals/{id}` same fields + `changed` |
/// | shown deal deleted | `DELETE /deals/{id}` `{event, room_id, external_id}` |
/// | ticket shown in a room | `POST /tickets` `{event, room_id, crm_ticket_id, crm_unique_ticket_id, crm_ticket_name, status, external_url, creator_label, created_at, version}` |
/// | shown ticket's name/status changed | `PUT /tickets/{id}` same fields + `changed` |
/// | shown ticket deleted | `DELETE /tickets/{id}` `{event, room_id, crm_ticket_id}` |
///
/// `external_url` is null when no `crm.record_url_base` is configured. Every request also carries Standard Webhooks
/// headers from the dispatcher (`webhook-id` = the event's idempotency key), so Omnichannel can drop repeats;
/// `version` and `created_at` let it ignore stale events.
///
/// The bodies have a fixed shape per kind and change, written member by member (``JSONObjectShape``): the event of
/// every bot-created record is encoded on the single writer thread, inside the record's transaction.
public struct OmnichannelRefreshEncoder: RoomRefreshEncoder {
    public init() {}

    public func request(for refresh: RoomRefresh, links: RecordLinks) -> (method: String, path: String, body: [UInt8]) {
        let record = refresh.record
        let collection = "/\(record.kind.pathSegment)"
        let shape = RefreshMember.shape(of: record.kind, refresh)
        let body = shape.bytes { member in
            switch member {
            case .event: return .string(refresh.eventName)
            case .roomID: return JSONValue(record.roomID)
            case .idText: return .string(String(record.id))
            case .id: return .integer(record.id)
            case .uniqueID: return .string(record.uniqueID)
            case .name: return .string(record.name)
            case .field(let name): return record.fields[name] ?? .null
            case .externalURL: return JSONValue(links.externalURL(record.kind, id: record.id))
            case .creatorLabel: return JSONValue(record.creator?.label)
            case .createdAt: return .string(Timestamps.rfc3339(record.createdAt))
            case .version: return .integer(record.version)
            case .changed:
                guard case .updated(_, let changed) = refresh else { return .null }
                return .array(changed.map { .string($0) })
            }
        }
        switch refresh {
        case .created: return ("POST", collection, body)
        case .updated: return ("PUT", "\(collection)/\(record.id)", body)
        case .deleted: return ("DELETE", "\(collection)/\(record.id)", body)
        }
    }
}

/// The members of a refresh body.
enum RefreshMember: Sendable {
    /// `external_id` of a deal, `crm_ticket_id` of a ticket: the id as text.
    case idText
    /// `deal_id`: the id as a number.
    case id
    case event, roomID, uniqueID, name, externalURL, creatorLabel, createdAt, version, changed
    /// A field as stored (`stage`, `pipeline`, `status`).
    case field(String)

    private static let dealCreated = shape(.deal, preview: true, changed: false)
    private static let dealUpdated = shape(.deal, preview: true, changed: true)
    private static let dealDeleted = shape(.deal, preview: false, changed: false)
    private static let ticketCreated = shape(.ticket, preview: true, changed: false)
    private static let ticketUpdated = shape(.ticket, preview: true, changed: true)
    private static let ticketDeleted = shape(.ticket, preview: false, changed: false)

    static func shape(of kind: RecordKind, _ refresh: RoomRefresh) -> JSONObjectShape<RefreshMember> {
        switch (kind, refresh) {
        case (.deal, .created): return dealCreated
        case (.deal, .updated): return dealUpdated
        case (.deal, .deleted): return dealDeleted
        case (.ticket, .created): return ticketCreated
        case (.ticket, .updated): return ticketUpdated
        case (.ticket, .deleted): return ticketDeleted
        }
    }

    /// Every body names the event, the room and the record; a shown record's body adds what the Deal & Ticket
    /// section renders (a deal's name, id, stage and pipeline; a ticket's name, id, status), an update's the
    /// fields that changed.
    private static func shape(_ kind: RecordKind, preview: Bool, changed: Bool) -> JSONObjectShape<RefreshMember> {
        var members: [(key: String, member: RefreshMember)] = [
            ("event", .event), ("room_id", .roomID), (kind == .deal ? "external_id" : "crm_ticket_id", .idText),
        ]
        if preview {
            members += [("external_url", .externalURL), ("creator_label", .creatorLabel), ("created_at", .createdAt),
                        ("version", .version)]
            switch kind {
            case .deal:
                members += [("deal_id", .id), ("unique_id", .uniqueID), ("name", .name), ("stage", .field("stage")),
                            ("pipeline", .field("pipeline"))]
            case .ticket:
                members += [("crm_unique_ticket_id", .uniqueID), ("crm_ticket_name", .name),
                            ("status", .field("status"))]
            }
        }
        if changed { members.append(("changed", .changed)) }
        return JSONObjectShape(members)
    }
}
