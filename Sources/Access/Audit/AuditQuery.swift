import Delivery
import GatewayKit
import Storage

/// `GET /v1/audit`: newest first, filtered by any of `actor`, `credential_id`, `action`, `subject_type`, `subject_id`,
/// `from` / `to` (RFC 3339 or a duration ago like `7d`; from inclusive, to exclusive), paged by `limit` (1–500,
/// default 100) and `cursor` (the previous page's `next_cursor`). Unknown parameters are refused by name.
public struct AuditQuery: Sendable, Equatable {
    public static let maxLimit = 500
    static let textFilters = ["actor", "credential_id", "action", "subject_type", "subject_id"]
    static let parameters = textFilters + ["from", "to", "limit", "cursor"]

    public var filters: [String: String] = [:]
    public var from: Int64?
    public var to: Int64?
    public var limit = 100
    /// Events older than this id (the previous page's last).
    public var before: Int64?

    public init() {}

    /// Every bad parameter named at once; `now` (unix ms) anchors durations.
    public static func parse(_ query: [String: String], now: Int64) -> Result<AuditQuery, GatewayError> {
        var errors: [FieldError] = []
        var parsed = AuditQuery()
        for name in query.keys.sorted() where !parameters.contains(name) {
            errors.append(FieldError(field: name, message: "is not a filter of the audit log "
                                     + "(\(parameters.joined(separator: ", ")))"))
        }
        for name in textFilters {
            guard let value = query[name] else { continue }
            if value.isEmpty || value.utf8.count > 200 {
                errors.append(FieldError(field: name, message: "must be 1 to 200 bytes"))
            } else {
                parsed.filters[name] = value
            }
        }
        parsed.from = TimeFilter.parameter("from", of: query, now: now, errors: &errors)
        parsed.to = TimeFilter.parameter("to", of: query, now: now, errors: &errors)
        parsed.limit = FieldError.limit(query, max: maxLimit, default: parsed.limit, errors: &errors)
        if let text = query["cursor"] {
            if let value = Int64(text), value > 0 { parsed.before = value } else {
                errors.append(FieldError(field: "cursor", message: "must be the next_cursor of a previous page"))
            }
        }
        return errors.isEmpty ? .success(parsed) : .failure(.validation(errors))
    }

    /// `{"items": [...], "next_cursor": "<id>"|null}`, each item `{"id", "at", "actor", "credential_id", "action",
    /// "subject_type", "subject_id", "detail", "request_id", "source_ip"}`.
    public func run(in c: any DatabaseConnection) throws -> JSONValue {
        var clauses: [String] = []
        var values: [SQLValue] = []
        for name in Self.textFilters {
            guard let value = filters[name] else { continue }
            clauses.append("\(name) = ?")
            values.append(.text(value))
        }
        if let from { clauses.append("at >= ?"); values.append(.integer(from)) }
        if let to { clauses.append("at < ?"); values.append(.integer(to)) }
        if let before { clauses.append("id < ?"); values.append(.integer(before)) }
        let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let rows = try c.query("SELECT * FROM audit_events \(condition) ORDER BY id DESC LIMIT ?",
                               values + [.integer(Int64(limit))])
        let items: [JSONValue] = rows.map { row in
            var item: [String: JSONValue] = ["id": .integer(row.int64("id") ?? 0),
                                             "at": .string(Timestamps.rfc3339(row.int64("at") ?? 0))]
            for column in ["actor", "credential_id", "action", "subject_type", "subject_id", "request_id", "source_ip"] {
                item[column] = row.string(column).map(JSONValue.string) ?? .null
            }
            item["detail"] = row.string("detail").flatMap { try? JSONParser.parse(Array($0.utf8)) } ?? .null
            return .object(item)
        }
        let next: JSONValue = items.count == limit ? (items.last?["id"]?.int64Value).map { .string(String($0)) } ?? .null
                                                   : .null
        return ["items": .array(items), "next_cursor": next]
    }
}
