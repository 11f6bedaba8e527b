import Foundation
import GatewayKit

/// The parameters every `/v1/analytics/…` query takes: `from` and `to` (local dates, both included; the last 30 days
/// when both are left out), `group_by` (a comma-separated time grain — `day`, `week` (Monday first) or `month` — and
/// at most one of the dimensions the figure allows) and `limit` (groups per period, 1–1000, default 100). Unknown
/// parameters and values are named.
public struct AnalyticsQuery: Sendable, Equatable {
    public enum Grain: String, Sendable, CaseIterable {
        case day, week, month
    }

    public var period: ReportPeriod
    public var grain: Grain?
    public var dimension: AnalyticsDimension?
    public var limit = 100

    public static let maxLimit = 1_000
    public static let defaultDays = 30

    /// `dimensions`: the ones this figure can be grouped by (none for figures only grouped by time).
    public static func parse(_ parameters: [String: String], dimensions: [AnalyticsDimension], extra: [String] = [],
                             settings: AnalyticsSettings, now: Int64) -> Result<AnalyticsQuery, GatewayError> {
        var errors: [FieldError] = []
        let known = ["from", "to", "group_by", "limit"] + extra
        for name in parameters.keys.sorted() where !known.contains(name) {
            errors.append(FieldError(field: name, message: "is not a parameter of this query (\(known.joined(separator: ", ")))"))
        }
        let zone = TimeZone(identifier: settings.timeZone) ?? TimeZone(identifier: "UTC")!
        var period: ReportPeriod?
        switch ReportPeriod.parse(parameters, timeZone: zone, maxDays: settings.maxRangeDays, now: now,
                                  defaultDays: defaultDays) {
        case .success(let value): period = value
        case .failure(.validation(let fields)): errors += fields
        case .failure: break
        }
        var grain: Grain?
        var dimension: AnalyticsDimension?
        let allowed = Grain.allCases.map(\.rawValue) + dimensions.map(\.rawValue)
        for name in (parameters["group_by"] ?? "").split(separator: ",", omittingEmptySubsequences: false)
            .map({ $0.trimmingCharacters(in: .whitespaces) }) where parameters["group_by"] != nil {
            if let value = Grain(rawValue: name), grain == nil {
                grain = value
            } else if let value = AnalyticsDimension(rawValue: name), dimensions.contains(value), dimension == nil {
                dimension = value
            } else {
                errors.append(FieldError(field: "group_by", message: allowed.contains(name)
                    ? "takes one time grain and one dimension at most"
                    : "\"\(name)\" is not a grouping of this figure (\(allowed.joined(separator: ", ")))"))
            }
        }
        var limit = 100
        if let text = parameters["limit"] {
            if let value = Int(text), (1...maxLimit).contains(value) { limit = value } else {
                errors.append(FieldError(field: "limit", message: "must be an integer between 1 and \(maxLimit)"))
            }
        }
        guard errors.isEmpty, let period else { return .failure(.validation(errors)) }
        return .success(AnalyticsQuery(period: period, grain: grain, dimension: dimension, limit: limit))
    }

    /// The local days covered, as days since 1970-01-01.
    var days: ClosedRange<Int> { period.from.daysSinceEpoch...period.to.daysSinceEpoch }

    /// The period a local day falls in under `grain`, named by its first day (nil = the whole range).
    static func periodName(of day: Int, _ grain: Grain?) -> String? {
        guard let grain else { return nil }
        let date = CalendarDate(daysSinceEpoch: day)
        switch grain {
        case .day: return date.description
        case .week:
            // 1970-01-01 was a Thursday: day 4 (mod 7) is a Monday.
            return date.adding(days: -(((day - 4) % 7) + 7) % 7).description
        case .month: return CalendarDate(year: date.year, month: date.month, day: 1)!.description
        }
    }

    /// The JSON of the query itself, echoed in every answer.
    var echo: [String: JSONValue] {
        ["from": .string(period.from.description), "to": .string(period.to.description),
         "time_zone": .string(period.timeZone.identifier),
         "group_by": .array([grain?.rawValue, dimension?.rawValue].compactMap { $0.map(JSONValue.string) })]
    }
}
