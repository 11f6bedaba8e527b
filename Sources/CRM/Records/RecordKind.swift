/// Deals and tickets: the two record kinds bots and agents create. Everything that differs between them is here or
/// in their field lists; the command handling, storage, rooms and timeline are shared.
public enum RecordKind: String, Sendable, CaseIterable {
    case deal
    case ticket

    /// Table name (a constant, safe to place in SQL text).
    public var table: String {
        switch self {
        case .deal: return "deals"
        case .ticket: return "tickets"
        }
    }

    /// Path segment of the REST API and of record URLs: `deals`, `tickets`.
    public var pathSegment: String { table }

    public var fields: [RecordField] {
        switch self {
        case .deal: return DealFields.all
        case .ticket: return TicketFields.all
        }
    }

    /// Fields whose change refreshes the room preview in Omnichannel.
    public var previewFields: Set<String> {
        switch self {
        case .deal: return DealFields.previewFields
        case .ticket: return TicketFields.previewFields
        }
    }

    /// Columns `GET /v1/<kind>` filters on by equality, each named by its query parameter (constants, safe in SQL).
    public var listFilters: [String] {
        switch self {
        case .deal: return ["unique_id"]
        case .ticket: return ["unique_id", "status", "queue", "assignee", "channel", "kind", "category", "outlet_status", "oid"]
        }
    }

    /// The values some of the ``listFilters`` are limited to (others take any 1–128 characters).
    public var listFilterValues: [String: [String]] {
        switch self {
        case .deal: return [:]
        case .ticket: return ["outlet_status": TicketOutletStatus.allCases.map(\.rawValue)]
        }
    }

    /// Other names senders use for payload keys (alias → key): a chatbot built on the CRM's ticket form names a
    /// ticket's name, id and unique id `crm_ticket_name`, `crm_ticket_id` and `crm_unique_ticket_id`.
    public var payloadAliases: [String: String] {
        switch self {
        case .deal: return [:]
        case .ticket: return ["crm_ticket_name": "name", "crm_ticket_id": "id", "crm_unique_ticket_id": "unique_id"]
        }
    }

    /// Query parameter naming a record of this kind (`GET /v1/timeline?deal_id=…`).
    public var idParameter: String { "\(rawValue)_id" }
}
