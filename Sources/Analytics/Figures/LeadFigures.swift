import GatewayKit
import Storage

/// Lead tickets by the period they opened in (captured over WhatsApp or entered by hand): `leads` (tickets of kind
/// `lead`), `onboarding_booked` (an onboarding session is booked on the ticket and not cancelled) and
/// `conversion_rate` = onboarding_booked / leads; `by_source` counts the recorded leads by where they came from
/// (`whatsapp`, or what sales typed).
enum LeadFigures {
    static func json(_ query: AnalyticsQuery, scope: SQLCondition?, in c: any DatabaseConnection) throws -> JSONValue {
        var groups: [String?: (leads: Int, booked: Int)] = [:]
        for (group, totals) in try RollupReader(query: query, dimension: .kind, scope: scope, connection: c).totals()
        where group.value == "lead" {
            groups[group.period] = (totals.opened, 0)
        }
        var sources: [String: Int] = [:]
        var names = RollupReader.PeriodNames(grain: query.grain)
        for row in try c.query("""
            SELECT f.day, l.source, l.onboarding_status FROM lead_figures l
            JOIN analytics_ticket_facts f ON f.ticket_id = l.ticket_id
            WHERE f.day BETWEEN ? AND ?\(scope.map { " AND (" + $0.sql + ")" } ?? "")
            """, [.integer(Int64(query.days.lowerBound)), .integer(Int64(query.days.upperBound))]
                + (scope?.parameters ?? [])) {
            sources[row.string("source") ?? "whatsapp", default: 0] += 1
            guard row.string("onboarding_status") == "booked" else { continue }
            let key = names[Int(row.int64("day") ?? 0)]
            groups[key] = (groups[key]?.leads ?? 0, (groups[key]?.booked ?? 0) + 1)
        }
        func figures(_ counts: (leads: Int, booked: Int)) -> [String: JSONValue] {
            ["leads": .integer(Int64(counts.leads)), "onboarding_booked": .integer(Int64(counts.booked)),
             "conversion_rate": TicketFigures.rate(counts.booked, counts.leads)]
        }
        var answer = query.echo
        answer["rows"] = .array(groups.keys.sorted { ($0 ?? "") < ($1 ?? "") }.map { key in
            var row = figures(groups[key]!)
            if let key { row["period"] = .string(key) }
            return .object(row)
        })
        var totals = figures(groups.values.reduce((0, 0)) { ($0.0 + $1.leads, $0.1 + $1.booked) })
        totals["by_source"] = .object(sources.mapValues { .integer(Int64($0)) })
        answer["totals"] = .object(totals)
        return .object(answer)
    }
}
