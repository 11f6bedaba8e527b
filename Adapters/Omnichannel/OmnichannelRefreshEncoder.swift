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
public struct OmnichannelRefreshEncoder: RoomRefreshEncoder {
    public init() {}

    public func request(for refresh: RoomRefresh, links: RecordLinks) -> (method: String, path: String, body: [UInt8]) {
        let record = refresh.record
        let collection = "/\(record.kind.pathSegment)"
        var body: [String: JSONValue] = ["event": .string(refresh.eventName), "room_id": JSONValue(record.roomID)]
        switch refresh {
        case .created:
            body.merge(preview(of: record, links: links)) { _, new in new }
            return ("POST", collection, JSONWriter.bytes(.object(body)))
        case .updated(_, let changed):
            body.merge(preview(of: record, links: links)) { _, new in new }
            body["changed"] = .array(changed.map { .string($0) })
            return ("PUT", "\(collection)/\(record.id)", JSONWriter.bytes(.object(body)))
        case .deleted:
            body[idKey(record.kind)] = .string(String(record.id))
            return ("DELETE", "\(collection)/\(record.id)", JSONWriter.bytes(.object(body)))
        }
    }

    private func idKey(_ kind: RecordKind) -> String {
        kind == .deal ? "external_id" : "crm_ticket_id"
    }

    /// What the Deal & Ticket section renders (a deal's name, id, stage and pipeline; a ticket's name, id, status).
    private func preview(of record: StoredRecord, links: RecordLinks) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [
            idKey(record.kind): .string(String(record.id)),
            "external_url": JSONValue(links.externalURL(record.kind, id: record.id)),
            "creator_label": JSONValue(record.creator?.label),
            "created_at": .string(Timestamps.rfc3339(record.createdAt)),
            "version": .integer(record.version),
        ]
        switch record.kind {
        case .deal:
            fields["deal_id"] = .integer(record.id)
            fields["unique_id"] = .string(record.uniqueID)
            fields["name"] = .string(record.name)
            fields["stage"] = record.fields["stage"] ?? .null
            fields["pipeline"] = record.fields["pipeline"] ?? .null
        case .ticket:
            fields["crm_unique_ticket_id"] = .string(record.uniqueID)
            fields["crm_ticket_name"] = .string(record.name)
            fields["status"] = record.fields["status"] ?? .null
        }
        return fields
    }
}
