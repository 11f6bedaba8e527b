import Foundation
import GatewayKit
import Storage

/// Reads the rollups of one dimension over a query's days, summed by period and value. An unrestricted caller reads
/// the rollup tables; a caller limited to some outlets reads the facts of its tickets and sums them the same way
/// (``RollupChanges``), so both see the same figures for the same tickets.
struct RollupReader {
    struct Group: Hashable { let period: String?; let value: String }

    let query: AnalyticsQuery
    let dimension: AnalyticsDimension
    /// A condition on the facts' `fid` / `oid`; nil = unrestricted.
    let scope: SQLCondition?
    let connection: any DatabaseConnection

    /// Totals by period and value.
    func totals() throws -> [Group: TicketTotals] {
        var result: [Group: TicketTotals] = [:]
        var names = PeriodNames(grain: query.grain)
        if scope != nil {
            for (key, totals) in try changesFromFacts().days {
                result[Group(period: names[key.day], value: key.value), default: TicketTotals()] += totals
            }
            return result
        }
        let columns = TicketTotals.columns
        for (span, days) in spans {
            for row in try connection.query("""
                SELECT day, value, \(columns.joined(separator: ", ")) FROM analytics_ticket_days
                WHERE dimension = ? AND span = ? AND day BETWEEN ? AND ? AND opened <> 0
                """, [.text(dimension.rawValue), .text(span), .integer(Int64(days.lowerBound)),
                      .integer(Int64(days.upperBound))]) {
                let totals = TicketTotals(values: columns.map { Int(row.int64($0) ?? 0) })
                let key = Group(period: names[Int(row.int64("day") ?? 0)], value: row.string("value") ?? "")
                result[key, default: TicketTotals()] += totals
            }
        }
        return result
    }

    /// Which rows cover the query's days: month rows for the whole calendar months inside the range when the query
    /// is not grouped by day or week, day rows for the rest.
    var spans: [(span: String, days: ClosedRange<Int>)] {
        let (first, last) = (query.days.lowerBound, query.days.upperBound)
        guard query.grain == nil || query.grain == .month else { return [("d", first...last)] }
        let firstMonth = RollupChanges.monthStart(of: first) == first ? first
            : CalendarDate(daysSinceEpoch: first).addingMonths(1).daysSinceEpoch
        let afterLastMonth = RollupChanges.monthStart(of: last + 1) == last + 1 ? last + 1
            : RollupChanges.monthStart(of: last)
        guard firstMonth < afterLastMonth else { return [("d", first...last)] }
        var spans = [("m", firstMonth...(afterLastMonth - 1))]
        if first < firstMonth { spans.append(("d", first...(firstMonth - 1))) }
        if afterLastMonth <= last { spans.append(("d", afterLastMonth...last)) }
        return spans
    }

    /// Counts by response-time bucket (seconds), by period and value, of `metric` (`frt` or `art`).
    func times(_ metric: String) throws -> [Group: [Int64: Int]] {
        var result: [Group: [Int64: Int]] = [:]
        var names = PeriodNames(grain: query.grain)
        if scope != nil {
            for (key, count) in try changesFromFacts().times where key.metric == metric {
                result[Group(period: names[key.day], value: key.value), default: [:]][key.seconds, default: 0] += count
            }
            return result
        }
        for (span, days) in spans {
            for row in try connection.query("""
                SELECT day, value, seconds, tickets FROM analytics_response_times
                WHERE metric = ? AND dimension = ? AND span = ? AND day BETWEEN ? AND ? AND tickets <> 0
                """, [.text(metric), .text(dimension.rawValue), .text(span), .integer(Int64(days.lowerBound)),
                      .integer(Int64(days.upperBound))]) {
                let key = Group(period: names[Int(row.int64("day") ?? 0)], value: row.string("value") ?? "")
                result[key, default: [:]][row.int64("seconds") ?? 0, default: 0] += Int(row.int64("tickets") ?? 0)
            }
        }
        return result
    }

    /// The name of each day's period, worked out once per day.
    struct PeriodNames {
        let grain: AnalyticsQuery.Grain?
        private var names: [Int: String?] = [:]

        init(grain: AnalyticsQuery.Grain?) { self.grain = grain }

        subscript(day: Int) -> String? {
            mutating get {
                if let name = names[day] { return name }
                let name = AnalyticsQuery.periodName(of: day, grain)
                names[day] = name
                return name
            }
        }
    }

    private func changesFromFacts() throws -> RollupChanges {
        var changes = RollupChanges(dimensions: [dimension], timeZone: query.period.timeZone)
        for fact in try TicketFact.recorded(within: scope!, days: query.days, backlog: false, in: connection) {
            changes.add(fact, sign: 1, months: false)
        }
        return changes
    }
}
