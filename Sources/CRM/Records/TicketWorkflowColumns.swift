import GatewayKit
import Storage

/// The ticket columns the workflow owns (migration 5; `outlet_status` migration 11; the claim migration 44), shown
/// read-only in the record
/// API (`GET /v1/tickets/{id}`, lists, room previews) with the linked outlet's name: the record commands never write
/// them. Times are rendered as RFC 3339 strings.
public enum TicketWorkflowColumns {
    enum ValueType { case text, count, time }

    static let all: [(name: String, type: ValueType)] = [
        ("channel", .text), ("category", .text), ("kind", .text), ("queue", .text), ("outcome", .text),
        ("fid", .text), ("oid", .text), ("reopen_count", .count), ("reopened_at", .time),
        ("last_customer_message_at", .time), ("first_response_at", .time), ("resolved_at", .time),
        ("closed_at", .time), ("first_response_due_at", .time), ("resolution_due_at", .time),
        ("first_response_breached_at", .time), ("resolution_breached_at", .time), ("outlet_status", .text),
        ("language", .text), ("channel_account", .text), ("claimed_by", .text), ("claimed_until", .time),
        ("archived_at", .time),
    ]

    /// The linked outlet's current name, read through the `outlet_labels` view (``CRMViewsMigration``) rather than
    /// copied onto the ticket.
    private static let outletName = """
        (SELECT name FROM outlet_labels WHERE outlet_labels.oid = tickets.oid) AS outlet_name
        """

    /// Column names for a SELECT list (constants, safe in SQL text).
    static let selectList = all.map(\.name).joined(separator: ", ") + ", " + outletName

    /// The values of a ticket that has never been through the workflow (a bot or API ticket at creation).
    static let initial: [String: JSONValue] = Dictionary(uniqueKeysWithValues: all.map {
        ($0.name, $0.type == .count ? JSONValue.integer(0) : .null)
    }).merging(["outlet_name": .null]) { old, _ in old }

    /// The API form of a row that selected ``selectList``.
    static func json(_ row: Row) -> [String: JSONValue] {
        var values: [String: JSONValue] = ["outlet_name": JSONValue(row.string("outlet_name"))]
        for (name, type) in all {
            switch type {
            case .text: values[name] = JSONValue(row.string(name))
            case .count: values[name] = .integer(row.int64(name) ?? 0)
            case .time: values[name] = row.int64(name).map { .string(Timestamps.rfc3339($0)) } ?? .null
            }
        }
        return values
    }
}
