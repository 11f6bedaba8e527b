import Delivery
import Storage

/// Schedules Omnichannel refresh events through the outbox, inside the transaction of the record change, so an event
/// exists exactly when its change does. Events of one room share an ordering key: the outbox delivers them one at a
/// time in commit order, so an update never overtakes its create and a delete comes after both.
public struct RoomRefreshPublisher: Sendable {
    /// The outbound endpoint (URL from `OMNICHANNEL_EVENTS_URL`).
    public static let endpoint = BuiltInEndpoint.omnichannel.name

    private let encoder: any RoomRefreshEncoder
    private let links: RecordLinks

    public init(encoder: any RoomRefreshEncoder, links: RecordLinks) {
        self.encoder = encoder
        self.links = links
    }

    public func enqueue(_ refresh: RoomRefresh, traceparent: String?, now: Int64,
                        in connection: any DatabaseConnection) throws {
        let record = refresh.record
        guard let roomID = record.roomID else { return }
        let (method, path, body) = encoder.request(for: refresh, links: links)
        try Outbox.enqueue(OutboundMessage(endpoint: Self.endpoint, method: method, path: path, body: body,
                                           idempotencyKey: Self.idempotencyKey(refresh), orderingKey: "room:\(roomID)",
                                           traceparent: traceparent),
                           in: connection, now: now)
    }

    /// One key per logical event: the record's version tells its updates apart; a record is deleted once.
    static func idempotencyKey(_ refresh: RoomRefresh) -> String {
        let record = refresh.record
        let base = "omnichannel:\(record.kind.rawValue):\(record.id)"
        switch refresh {
        case .created: return "\(base):created"
        case .updated: return "\(base):v\(record.version)"
        case .deleted: return "\(base):deleted"
        }
    }
}
