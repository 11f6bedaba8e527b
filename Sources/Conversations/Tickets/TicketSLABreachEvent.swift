import CRM
import Delivery
import GatewayKit
import Storage

/// The event announcing an SLA breach, written to the outbox in the breach's transaction (endpoint `events`):
///
/// `{"type": "ticket.sla_breached", "data": {"ticket_id", "unique_id", "kind": "first_response"|"resolution",
/// "due_at", "breached_at", "category", "assignee", "queue", "contact_id"}}` (times RFC 3339; absent values `null`).
///
/// Idempotency key `ticket.sla_breached:<ticket id>:<kind>:<due_at ms>` (one per clock run), ordering key
/// `ticket:<id>`.
enum TicketSLABreachEvent {
    static let type = "ticket.sla_breached"

    static func enqueue(_ ticket: WorkflowTicket, kind: TicketSLAClock, dueAt: Int64, breachedAt: Int64,
                        in connection: any DatabaseConnection) throws {
        let data: JSONValue = [
            "ticket_id": .integer(ticket.id), "unique_id": .string(ticket.uniqueID), "kind": .string(kind.rawValue),
            "due_at": .string(Timestamps.rfc3339(dueAt)), "breached_at": .string(Timestamps.rfc3339(breachedAt)),
            "category": JSONValue(ticket.category), "assignee": JSONValue(ticket.assignee),
            "queue": JSONValue(ticket.queue), "contact_id": JSONValue(ticket.contactID),
        ]
        let body: JSONValue = ["type": .string(type), "data": data]
        try Outbox.enqueue(OutboundMessage(endpoint: BuiltInEndpoint.events.name,
                                           headers: [("Content-Type", "application/json")], body: JSONWriter.bytes(body),
                                           idempotencyKey: "\(type):\(ticket.id):\(kind.rawValue):\(dueAt)",
                                           orderingKey: "ticket:\(ticket.id)"),
                           in: connection, now: breachedAt)
    }
}

/// The two SLA clocks, as named in breach records, events and metrics.
public enum TicketSLAClock: String, Sendable, CaseIterable {
    case firstResponse = "first_response"
    case resolution
}
