import Delivery
import GatewayKit
import Storage
/// The query of `GET /v1/csat`: `group_by` (required: `ticket`, `agent`, `outlet`), `from` / `to` (the survey send
/// time, from inclusive, to exclusive; RFC 3339 like `2026-07-01T00:00:00Z`, or a duration ago like `30d`), and
/// `limit` (groups, 1–1000, default 100). Unknown parameters are refused by name.
public struct CSATReportQuery: Sendable, Equatable {
    public enum Grouping: String, Sendable, CaseIterable {
        case ticket, agent, outlet
    }

    public static let maxLimit = 1_000
    public var groupBy: Grouping
    /// Unix ms; nil = unbounded.
    public var from: Int64?
    public var to: Int64?
    public var limit = 100
    /// A further limit set by the caller's code on the surveys' tickets (`t.fid`, `t.oid`: the caller's scope).
    public var within: SQLCondition?

    public init(groupBy: Grouping, from: Int64? = nil, to: Int64? = nil, limit: Int = 100) {
        self.groupBy = groupBy
        self.from = from
        self.to = to
        self.limit = limit
    }

    /// Every bad parameter named at once. `now` (unix ms) anchors durations such as `30d`.
    public static func parse(_ parameters: [String: String], now: Int64) -> Result<CSATReportQuery, GatewayError> {
        var errors: [FieldError] = []
        for name in parameters.keys.sorted() where !["group_by", "from", "to", "limit"].contains(name) {
            errors.append(FieldError(field: name, message: "is not a parameter of this report (group_by, from, to, limit)"))
        }
        let names = Grouping.allCases.map(\.rawValue).joined(separator: ", ")
        let grouping = parameters["group_by"].flatMap(Grouping.init(rawValue:))
        if grouping == nil {
            errors.append(FieldError(field: "group_by", message: parameters["group_by"] == nil ? "is required (\(names))"
                                                                                                 : "must be one of \(names)"))
        }
        let from = TimeFilter.parameter("from", of: parameters, now: now, errors: &errors)
        let to = TimeFilter.parameter("to", of: parameters, now: now, errors: &errors)
        if let from, let to, from >= to { errors.append(FieldError(field: "to", message: "must be later than from")) }
        let limit = FieldError.limit(parameters, max: maxLimit, default: 100, errors: &errors)
        guard errors.isEmpty, let grouping else { return .failure(.validation(errors)) }
        return .success(CSATReportQuery(groupBy: grouping, from: from, to: to, limit: limit))
    }
}
