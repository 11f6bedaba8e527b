import Delivery
import GatewayKit
import Storage

/// Tells the CRM who joined and who left a segment at an evaluation, in the evaluation's transaction (endpoint `crm`,
/// `crm.events_url`; without it nothing is enqueued, as for identity changes):
///
/// `{"type": "segment.membership_changed", "data": {"segment_id", "segment_name", "evaluated_at", "added": [contact
/// ids], "removed": [contact ids]}}`
///
/// At most 1,000 contacts per event (a first evaluation of a large segment is several events); idempotency key
/// `segment:<id>:<evaluation time>:<part>`, ordering key `segment:<id>` so the CRM applies one segment's changes in
/// order.
enum SegmentMembershipEvent {
    static let type = "segment.membership_changed"
    static let partSize = 1_000

    static func enqueue(segmentID: Int64, name: String, added: [String], removed: [String], now: Int64,
                        in c: any DatabaseConnection) throws {
        let changes = added.map { ($0, true) } + removed.map { ($0, false) }
        guard !changes.isEmpty else { return }
        for part in stride(from: 0, to: changes.count, by: partSize) {
            let slice = changes[part..<min(part + partSize, changes.count)]
            let body: JSONValue = ["type": .string(type), "data": [
                "segment_id": .integer(segmentID), "segment_name": .string(name),
                "evaluated_at": .string(Timestamps.rfc3339(now)),
                "added": .array(slice.filter(\.1).map { .string($0.0) }),
                "removed": .array(slice.filter { !$0.1 }.map { .string($0.0) }),
            ]]
            try Outbox.enqueue(OutboundMessage(endpoint: BuiltInEndpoint.crm.name,
                                               headers: [("Content-Type", "application/json")],
                                               body: JSONWriter.bytes(body),
                                               idempotencyKey: "segment:\(segmentID):\(now):\(part / partSize)",
                                               orderingKey: "segment:\(segmentID)"),
                               in: c, now: now)
        }
    }
}
