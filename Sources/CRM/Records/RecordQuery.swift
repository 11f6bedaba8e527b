import GatewayKit
import Storage
/// A page of live records for `GET /v1/deals` / `GET /v1/tickets`: newest first, optionally one room's or one
/// contact's (tickets also by workflow status, queue, assignee, channel, kind, category, outlet status), continuing
/// before `cursor` (the last id of the previous page).
public struct RecordQuery: Sendable, Equatable {
    public static let maxLimit = 200

    public var roomID: String?
    public var contactID: String?
    public var limit = 50
    public var beforeID: Int64?
    /// Equality filters on the kind's ``RecordKind/listFilters`` columns (tickets: `status`, `queue`, ...).
    public var filters: [String: String] = [:]
    /// A further limit set by the caller's code, not by the query string (the caller's outlet scope).
    public var within: SQLCondition?

    public init() {}

    /// The query parameters, every bad one named in a single 400. `values` limits a filter to the values listed;
    /// `aliases` (alias → filter) are other names of filters (`crm_unique_ticket_id` for `unique_id`).
    public static func parse(_ parameters: [String: String], filters: [String] = [],
                             values: [String: [String]] = [:],
                             aliases: [String: String] = [:]) -> Result<RecordQuery, GatewayError> {
        var query = RecordQuery()
        var errors: [FieldError] = []
        var parameters = parameters
        for (alias, name) in aliases.sorted(by: { $0.key < $1.key }) where filters.contains(name) {
            guard let value = parameters[alias] else { continue }
            if let other = parameters[name], other != value {
                errors.append(FieldError(field: alias, message: "differs from \(name): send one of them"))
            }
            parameters[name] = value
        }
        query.roomID = parameters["room_id"]
        query.contactID = parameters["contact_id"]
        for name in filters {
            guard let value = parameters[name] else { continue }
            if value.isEmpty || value.count > 128 {
                errors.append(FieldError(field: name, message: "must be 1-128 characters"))
            } else if let allowed = values[name], !allowed.contains(value) {
                errors.append(FieldError(field: name, message: "must be one of \(allowed.joined(separator: ", "))"))
            } else {
                query.filters[name] = value
            }
        }
        query.limit = FieldError.limit(parameters, max: maxLimit, default: query.limit, errors: &errors)
        if let cursor = parameters["cursor"] {
            if let value = Int64(cursor), value > 0 { query.beforeID = value } else {
                errors.append(FieldError(field: "cursor", message: "must be the next_cursor of a previous page"))
            }
        }
        return errors.isEmpty ? .success(query) : .failure(.validation(errors))
    }
}
