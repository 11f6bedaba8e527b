import Foundation
import GatewayKit
import Storage

/// Renewal cycles by the period of their expiry date (`due_date`):
/// - `due`: cycles; `reminded`: with at least one reminder sent;
/// - `renewed_before_expiry`: renewed by the expiry date;
/// - `failed`: reminded cycles that passed their expiry date unrenewed (renewed only after it, or not renewed and
///   due before today) — as in `GET /v1/renewals/summary`;
/// - `recovered`: failed ones renewed less than `analytics.winback_after_days` after the expiry date;
///   `recovery_rate` = recovered / failed;
/// - `won_back`: failed ones renewed that long or longer after it; `winback_rate` = won_back / failed.
enum RenewalFigures {
    static func json(_ query: AnalyticsQuery, winbackAfterDays: Int, now: Int64, scope: SQLCondition?,
                     in c: any DatabaseConnection) throws -> JSONValue {
        let zone = query.period.timeZone
        let today = CalendarDate(unixMillis: now, in: zone)
        var groups: [String?: [Int]] = [:]
        for row in try c.query("""
            SELECT due_date, status, renewed_at, renewed_after_expiry, reminded FROM renewal_figures
            WHERE due_date BETWEEN ? AND ?\(scope.map { " AND (" + $0.sql + ")" } ?? "")
            """, [.text(query.period.from.description), .text(query.period.to.description)] + (scope?.parameters ?? [])) {
            guard let due = row.string("due_date").flatMap({ CalendarDate($0) }) else { continue }
            let renewed = row.string("status") == "renewed"
            let afterExpiry = row.int64("renewed_after_expiry") == 1
            let reminded = row.int64("reminded") == 1
            let failed = reminded && (afterExpiry || (!renewed && due < today))
            let winbackFrom = ReportPeriod.midnight(of: due.adding(days: winbackAfterDays), in: zone)
            let late = renewed && afterExpiry && reminded
            let wonBack = late && (row.int64("renewed_at") ?? 0) >= winbackFrom
            let counts = [1, reminded ? 1 : 0, renewed && !afterExpiry ? 1 : 0, failed ? 1 : 0,
                          late && !wonBack ? 1 : 0, wonBack ? 1 : 0]
            let key = AnalyticsQuery.periodName(of: due.daysSinceEpoch, query.grain)
            groups[key] = zip(groups[key] ?? Array(repeating: 0, count: counts.count), counts).map { $0 + $1 }
        }
        func figures(_ counts: [Int]) -> [String: JSONValue] {
            ["due": .integer(Int64(counts[0])), "reminded": .integer(Int64(counts[1])),
             "renewed_before_expiry": .integer(Int64(counts[2])), "failed": .integer(Int64(counts[3])),
             "recovered": .integer(Int64(counts[4])), "won_back": .integer(Int64(counts[5])),
             "recovery_rate": TicketFigures.rate(counts[4], counts[3]),
             "winback_rate": TicketFigures.rate(counts[5], counts[3])]
        }
        let zero = Array(repeating: 0, count: 6)
        let totals = groups.values.reduce(zero) { zip($0, $1).map { $0 + $1 } }
        var answer = query.echo
        answer["winback_after_days"] = .integer(Int64(winbackAfterDays))
        answer["rows"] = .array(groups.keys.sorted { ($0 ?? "") < ($1 ?? "") }.map { key in
            var row = figures(groups[key]!)
            if let key { row["period"] = .string(key) }
            return .object(row)
        })
        answer["totals"] = .object(figures(totals))
        return .object(answer)
    }
}
