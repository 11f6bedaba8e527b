import GatewayKit
import Storage

/// The outlets tickets came from: the top `limit` by tickets opened in the range, each with its tickets per calendar
/// month (every month the range touches, counted whole) and `high_touch` when any of those months reached
/// `analytics.high_touch_tickets` (5: the desk's "5+ tickets a month" merchants); `high_touch_outlets` counts them
/// among all outlets, not only the top. Tickets linked to no outlet are left out.
enum OutletFigures {
    static func json(_ query: AnalyticsQuery, threshold: Int, scope: SQLCondition?,
                     in c: any DatabaseConnection) throws -> JSONValue {
        let first = query.period.from, last = query.period.to
        let monthStart = CalendarDate(year: first.year, month: first.month, day: 1)!
        let nextMonth = last.month == 12 ? CalendarDate(year: last.year + 1, month: 1, day: 1)!
            : CalendarDate(year: last.year, month: last.month + 1, day: 1)!
        let months = ReportPeriod(from: monthStart, to: nextMonth.adding(days: -1), timeZone: query.period.timeZone)
        var monthly = AnalyticsQuery(period: months)
        monthly.grain = .month
        let byMonth = try RollupReader(query: monthly, dimension: .outlet, scope: scope, connection: c).totals()
        var inRange = AnalyticsQuery(period: query.period)
        inRange.limit = query.limit
        let totals = try RollupReader(query: inRange, dimension: .outlet, scope: scope, connection: c).totals()

        var trend: [String: [String: Int]] = [:]
        for (group, counts) in byMonth where !group.value.isEmpty {
            trend[group.value, default: [:]][group.period ?? "", default: 0] += counts.opened
        }
        let allMonths = (0..<(months.days / 28 + 1)).map { monthStart.addingMonths($0) }.filter { $0 < nextMonth }
            .map(\.description)
        let highTouch = trend.filter { $0.value.values.contains { $0 >= threshold } }
        let ranked = totals.filter { !$0.key.value.isEmpty }
            .sorted { $0.value.opened != $1.value.opened ? $0.value.opened > $1.value.opened : $0.key.value < $1.key.value }
        var rows: [JSONValue] = []
        for (group, counts) in ranked.prefix(query.limit) {
            let parts = group.value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            rows.append([
                "outlet": .string(group.value),
                "fid": parts.first.flatMap { $0.isEmpty ? nil : JSONValue.string(String($0)) } ?? .null,
                "oid": parts.count > 1 && !parts[1].isEmpty ? .string(String(parts[1])) : .null,
                "tickets": .integer(Int64(counts.opened)),
                "high_touch": .bool(highTouch[group.value] != nil),
                "months": .array(allMonths.map { month in
                    ["month": .string(month), "tickets": .integer(Int64(trend[group.value]?[month] ?? 0))]
                }),
            ])
        }
        var answer = query.echo
        answer["high_touch_tickets"] = .integer(Int64(threshold))
        answer["high_touch_outlets"] = .integer(Int64(highTouch.count))
        answer["rows"] = .array(rows)
        answer["truncated"] = .bool(ranked.count > query.limit)
        return .object(answer)
    }
}

extension CalendarDate {
    /// The first day of the month `months` after this date's month.
    func addingMonths(_ months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + months
        return CalendarDate(year: index / 12, month: index % 12 + 1, day: 1)!
    }
}
