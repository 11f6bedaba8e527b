import GatewayKit
import Storage

/// The `ticket_history` table: one immutable row per change of a ticket (status, reopen, assignment, category,
/// outcome, note, SLA breach, first response, record edits), written in the transaction that makes the change.
///
/// Actions: `opened`, `status_changed`, `reopened`, `assigned`, `category_changed`, `outcome_changed`, `note_added`,
/// `first_response`, `sla_breached`, `updated` (record fields edited through `PATCH`), `deleted`, `replied` (an agent
/// reply), `delivery_failed` (a reply or survey the Cloud API refused or Meta reported failed), `csat_sent`,
/// `csat_rated`, `csat_commented`.
/// Actors: the agent or API caller named in the request, `customer:<conversation>` for changes a customer message
/// caused, `sla-scheduler` for breaches, `csat` for surveys, `whatsapp` for delivery failures.
public enum TicketHistory {
    public static func record(_ ticketID: Int64, at: Int64, actor: String, action: String, from: String? = nil,
                              to: String? = nil, detail: JSONValue? = nil, in c: any DatabaseConnection) throws {
        try insert(ticketID, at: at, actor: actor, action: action, from: from, to: to,
                   detail: detail.map(JSONWriter.string), in: c)
    }

    /// ``record(_:at:actor:action:from:to:detail:in:)`` with the detail already written as JSON (a fixed shape,
    /// ``JSONObjectShape``, on a hot path).
    public static func record(_ ticketID: Int64, at: Int64, actor: String, action: String, from: String? = nil,
                              to: String? = nil, writtenDetail: [UInt8], in c: any DatabaseConnection) throws {
        try insert(ticketID, at: at, actor: actor, action: action, from: from, to: to,
                   detail: String(decoding: writtenDetail, as: UTF8.self), in: c)
    }

    private static func insert(_ ticketID: Int64, at: Int64, actor: String, action: String, from: String?,
                               to: String?, detail: String?, in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO ticket_history (ticket_id, at, actor, action, from_value, to_value, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.integer(ticketID), .integer(at), .text(actor), .text(action), SQLValue(from), SQLValue(to),
                  SQLValue(detail)])
    }

    /// Oldest first, after row `after`: `{"id", "at", "actor", "action", "from", "to", "detail"}`.
    public static func list(_ ticketID: Int64, page: TicketPage, in c: any DatabaseConnection) throws -> [JSONValue] {
        try c.query("""
            SELECT id, at, actor, action, from_value, to_value, detail FROM ticket_history
            WHERE ticket_id = ? AND id > ? ORDER BY id LIMIT ?
            """, [.integer(ticketID), .integer(page.after), .integer(Int64(page.limit))]).map { row in
            [
                "id": JSONValue(row.int64("id")),
                "at": .string(Timestamps.rfc3339(row.int64("at") ?? 0)),
                "actor": JSONValue(row.string("actor")),
                "action": JSONValue(row.string("action")),
                "from": JSONValue(row.string("from_value")),
                "to": JSONValue(row.string("to_value")),
                "detail": row.string("detail").flatMap { try? JSONParser.parse(Array($0.utf8)) } ?? .null,
            ]
        }
    }
}

/// A page of a ticket's history, messages or notes: oldest first, rows after the id `after` (the previous page's
/// `next_cursor`).
public struct TicketPage: Sendable, Equatable {
    public static let maxLimit = 500
    public var after: Int64 = 0
    public var limit = 100

    public init(after: Int64 = 0, limit: Int = 100) {
        self.after = after
        self.limit = limit
    }

    /// `limit` (1–500, default 100) and `cursor`, every bad one named.
    public static func parse(_ parameters: [String: String]) -> Result<TicketPage, GatewayError> {
        var page = TicketPage()
        var errors: [FieldError] = []
        page.limit = FieldError.limit(parameters, max: maxLimit, default: page.limit, errors: &errors)
        if let cursor = parameters["cursor"] {
            if let value = Int64(cursor), value >= 0 { page.after = value } else {
                errors.append(FieldError(field: "cursor", message: "must be the next_cursor of a previous page"))
            }
        }
        return errors.isEmpty ? .success(page) : .failure(.validation(errors))
    }

    /// `{"items": items, "next_cursor": last id | null}`: a full page may have more behind it.
    public func body(_ items: [JSONValue]) -> JSONValue {
        let next = items.count == limit ? items.last?["id"] ?? .null : .null
        return ["items": .array(items), "next_cursor": next.int64Value.map { .string(String($0)) } ?? .null]
    }
}
