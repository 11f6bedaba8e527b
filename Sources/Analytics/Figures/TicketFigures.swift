import GatewayKit
import Storage

/// Volume, response times and CSAT of the tickets opened in a period — rows by period and dimension value, and the
/// totals of the whole range.
///
/// - volume: `opened`, `reopened` (opened in the period and reopened since, at least once), `reopen_rate`;
/// - response times, each of `frt` (opening → first agent response) and `art` (opening → last resolution):
///   `tickets` with one, `median_seconds`, `p90_seconds` (nearest rank, to the bucket: see ResponseTimeBuckets),
///   `within_sla` and `within_sla_rate` (met its SLA target);
/// - CSAT: `surveys` sent, `responses` (ratings), `response_rate`, `average` (2 decimals), `distribution`.
///
/// Rates have 4 decimals and are null when nothing was counted. Rows are ordered by period, then by tickets opened,
/// most first (the top values first), `limit` per period; `truncated` says some were left out.
enum TicketFigures {
    enum Kind { case volume, responseTimes, csat }

    static func json(_ kind: Kind, _ query: AnalyticsQuery, scope: SQLCondition?,
                     in c: any DatabaseConnection) throws -> JSONValue {
        let dimension = query.dimension ?? .all
        let reader = RollupReader(query: query, dimension: dimension, scope: scope, connection: c)
        let totals = try reader.totals()
        let frt = kind == .responseTimes ? try reader.times("frt") : [:]
        let art = kind == .responseTimes ? try reader.times("art") : [:]
        // The totals of the range come from the dimension 'all' (a keyword or outlet grouping may count a ticket
        // in several groups or in none).
        let whole = dimension == .all && query.grain == nil ? reader
            : RollupReader(query: AnalyticsQuery(period: query.period), dimension: .all, scope: scope, connection: c)
        let wholeTotals = try whole.totals()[RollupReader.Group(period: nil, value: "")] ?? TicketTotals()
        let wholeFRT = kind == .responseTimes ? try whole.times("frt")[.init(period: nil, value: "")] ?? [:] : [:]
        let wholeART = kind == .responseTimes ? try whole.times("art")[.init(period: nil, value: "")] ?? [:] : [:]

        var rows: [JSONValue] = []
        var truncated = false
        let byPeriod = Dictionary(grouping: totals.keys, by: \.period)
        for period in byPeriod.keys.sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
            let groups = byPeriod[period]!.sorted {
                let (a, b) = (totals[$0]!.opened, totals[$1]!.opened)
                return a != b ? a > b : $0.value < $1.value
            }
            truncated = truncated || groups.count > query.limit
            for group in groups.prefix(query.limit) {
                var row = figures(kind, totals[group]!, frt: frt[group] ?? [:], art: art[group] ?? [:])
                if let period { row["period"] = .string(period) }
                if let name = query.dimension?.rawValue { row[name] = group.value.isEmpty ? .null : .string(group.value) }
                rows.append(.object(row))
            }
        }
        var answer = query.echo
        answer["rows"] = .array(rows)
        answer["totals"] = .object(figures(kind, wholeTotals, frt: wholeFRT, art: wholeART))
        answer["truncated"] = .bool(truncated)
        return .object(answer)
    }

    static func figures(_ kind: Kind, _ t: TicketTotals, frt: [Int64: Int], art: [Int64: Int]) -> [String: JSONValue] {
        switch kind {
        case .volume:
            return ["opened": .integer(Int64(t.opened)), "reopened": .integer(Int64(t.reopened)),
                    "reopen_rate": rate(t.reopened, t.opened)]
        case .responseTimes:
            return ["opened": .integer(Int64(t.opened)), "frt": .object(times(frt, within: t.frtWithin)),
                    "art": .object(times(art, within: t.artWithin))]
        case .csat:
            let average = t.responses > 0
                ? JSONValue.number((Double(t.ratingSum) / Double(t.responses) * 100).rounded() / 100) : .null
            return ["opened": .integer(Int64(t.opened)), "surveys": .integer(Int64(t.surveys)),
                    "responses": .integer(Int64(t.responses)), "response_rate": rate(t.responses, t.surveys),
                    "average": average,
                    "distribution": .object(Dictionary(uniqueKeysWithValues: (1...5).map {
                        (String($0), JSONValue.integer(Int64(t.ratings[$0 - 1])))
                    }))]
        }
    }

    private static func times(_ counts: [Int64: Int], within: Int) -> [String: JSONValue] {
        let tickets = counts.values.reduce(0, +)
        return ["tickets": .integer(Int64(tickets)),
                "median_seconds": JSONValue(ResponseTimeBuckets.percentile(0.5, of: counts)),
                "p90_seconds": JSONValue(ResponseTimeBuckets.percentile(0.9, of: counts)),
                "within_sla": .integer(Int64(within)), "within_sla_rate": rate(within, tickets)]
    }

    /// `part / whole`, 4 decimals; null when `whole` is 0.
    static func rate(_ part: Int, _ whole: Int) -> JSONValue {
        whole > 0 ? .number((Double(part) / Double(whole) * 10_000).rounded() / 10_000) : .null
    }
}
