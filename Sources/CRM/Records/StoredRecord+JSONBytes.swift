import GatewayKit

extension StoredRecord {
    /// ``json(_:)`` as bytes, written member by member in a shape fixed per kind: the `201` of every create is
    /// encoded on the single writer thread, where building and sorting a dictionary per record was a visible cost.
    /// A record whose field or workflow members are not the kind's (none the gateway builds) takes the general path.
    public func jsonBytes(_ links: RecordLinks) -> [UInt8] {
        let workflowCount = kind == .ticket ? TicketWorkflowColumns.initial.count : 0
        guard fields.count == kind.fields.count, workflow.count == workflowCount else {
            return JSONWriter.bytes(json(links))
        }
        var complete = true
        let bytes = RecordJSONMember.shape(of: kind).bytes(capacity: 512) { member in
            switch member {
            case .field(let name):
                guard let value = fields[name] else { complete = false; return .null }
                return value
            case .workflow(let name):
                guard let value = workflow[name] else { complete = false; return .null }
                return value
            case .id: return .integer(id)
            case .uniqueID: return .string(uniqueID)
            case .externalURL: return JSONValue(links.externalURL(kind, id: id))
            case .roomID: return JSONValue(roomID)
            case .contactID: return JSONValue(contactID)
            case .creatorFlag: return JSONValue(creatorFlag)
            case .creatorLabel: return JSONValue(creator?.label)
            case .source: return .string(source)
            case .origin: return .string(origin)
            case .createdAt: return .string(Timestamps.rfc3339(createdAt))
            case .updatedAt: return .string(Timestamps.rfc3339(updatedAt))
            case .version: return .integer(version)
            }
        }
        return complete ? bytes : JSONWriter.bytes(json(links))
    }
}

/// The members of a record's API form (``StoredRecord/json(_:)``): the kind's fields over the ticket workflow's
/// columns, and the common members over both.
enum RecordJSONMember: Sendable {
    case field(String)
    case workflow(String)
    case id, uniqueID, externalURL, roomID, contactID, creatorFlag, creatorLabel, source, origin, createdAt, updatedAt,
         version

    private static let common: [(String, RecordJSONMember)] = [
        ("id", .id), ("unique_id", .uniqueID), ("external_url", .externalURL), ("room_id", .roomID),
        ("contact_id", .contactID), ("creator_flag", .creatorFlag), ("creator_label", .creatorLabel),
        ("source", .source), ("origin", .origin), ("created_at", .createdAt), ("updated_at", .updatedAt),
        ("version", .version),
    ]
    private static let deal = makeShape(.deal)
    private static let ticket = makeShape(.ticket)

    static func shape(of kind: RecordKind) -> JSONObjectShape<RecordJSONMember> {
        switch kind {
        case .deal: return deal
        case .ticket: return ticket
        }
    }

    private static func makeShape(_ kind: RecordKind) -> JSONObjectShape<RecordJSONMember> {
        var members: [String: RecordJSONMember] = [:]
        if kind == .ticket {
            for name in TicketWorkflowColumns.initial.keys { members[name] = .workflow(name) }
        }
        for field in kind.fields { members[field.name] = .field(field.name) }
        for (name, member) in common { members[name] = member }
        return JSONObjectShape(members.map { (key: $0.key, member: $0.value) })
    }
}
