/// A change to what a chat room's Deal & Ticket section shows, which Omnichannel must hear about to refresh it:
/// a record created, a displayed field updated, the shown record deleted.
public enum RoomRefresh: Sendable, Equatable {
    /// The record became the room's preview.
    case created(StoredRecord)
    /// The room's preview changed fields it displays (`changed` lists them).
    case updated(StoredRecord, changed: [String])
    /// The room's preview was deleted: the room is back to its empty state.
    case deleted(StoredRecord)

    public var record: StoredRecord {
        switch self {
        case .created(let record), .updated(let record, _), .deleted(let record): return record
        }
    }

    /// `deal.created`, `ticket.updated`, ... (event names, metric labels).
    public var eventName: String {
        switch self {
        case .created(let record): return "\(record.kind.rawValue).created"
        case .updated(let record, _): return "\(record.kind.rawValue).updated"
        case .deleted(let record): return "\(record.kind.rawValue).deleted"
        }
    }
}

/// How a ``RoomRefresh`` looks on the wire to Omnichannel: the adapter in `Adapters/Omnichannel` decides method, path
/// and body; the domain decides when, in which order and under which idempotency key it is sent.
public protocol RoomRefreshEncoder: Sendable {
    func request(for refresh: RoomRefresh, links: RecordLinks) -> (method: String, path: String, body: [UInt8])
}
