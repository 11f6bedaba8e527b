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
        if scope != nil {
            for (key, totals) in try changesFromFacts().days {
                result[group(key.day, key.value), default: TicketTotals()] += totals
            }
            return result
        }
        let columns = TicketTotals.columns
        for row in try connection.query("""
            SELECT day, value, \(columns.joined(separator: ", ")) FROM analytics_ticket_days
            WHERE dimension = ? AND day BETWEEN ? AND ?
            """, [.text(dimension.rawValue), .integer(Int64(query.days.lowerBound)), .integer(Int64(query.days.upperBound))]) {
            let totals = TicketTotals(values: columns.map { Int(row.int64($0) ?? 0) })
            result[group(Int(row.int64("day") ?? 0), row.string("value") ?? ""), default: TicketTotals()] += totals
        }
        return result
    }

    /// Counts by response-time bucket (seconds), by period and value, of `metric` (`frt` or `art`).
    func times(_ metric: String) throws -> [Group: [Int64: Int]] {
        var result: [Group: [Int64: Int]] = [:]
        if scope != nil {
            for (key, count) in try changesFromFacts().times where key.metric == metric {
                result[group(key.day, key.value), default: [:]][key.seconds, default: 0] += count
            }
            return result
        }
        for row in try connection.query("""
            SELECT day, value, seconds, tickets FROM analytics_response_times
            WHERE metric = ? AND dimension = ? AND day BETWEEN ? AND ?
            """, [.text(metric), .text(dimension.rawValue), .integer(Int64(query.days.lowerBound)),
                  .integer(Int64(query.days.upperBound))]) {
            let key = group(Int(row.int64("day") ?? 0), row.string("value") ?? "")
            result[key, default: [:]][row.int64("seconds") ?? 0, default: 0] += Int(row.int64("tickets") ?? 0)
        }
        return result
    }

    private func group(_ day: Int, _ value: String) -> Group {
        Group(period: AnalyticsQuery.periodName(of: day, query.grain), value: value)
    }

    private func changesFromFacts() throws -> RollupChanges {
        var changes = RollupChanges(dimensions: [dimension], timeZone: query.period.timeZone)
        for fact in try TicketFact.recorded(within: scope!, days: query.days, backlog: false, in: connection) {
            changes.add(fact, sign: 1)
        }
        return changes
    }
}
