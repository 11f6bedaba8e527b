import GatewayKit
import Storage

/// Lead tickets by the period they opened in (captured over WhatsApp or entered by hand): `leads`,
/// `onboarding_booked` (an onboarding session is booked on the ticket and not cancelled) and `conversion_rate` =
/// onboarding_booked / leads; `by_source` counts the leads by where they came from (`whatsapp`, or what sales typed).
enum LeadFigures {
    static func json(_ query: AnalyticsQuery, scope: SQLCondition?, in c: any DatabaseConnection) throws -> JSONValue {
        var groups: [String?: (leads: Int, booked: Int)] = [:]
        var sources: [String: Int] = [:]
        for row in try c.query("""
            SELECT f.day, l.source, l.onboarding_status FROM analytics_ticket_facts f
            LEFT JOIN lead_figures l ON l.ticket_id = f.ticket_id
            WHERE f.kind = 'lead' AND f.day BETWEEN ? AND ?\(scope.map { " AND (" + $0.sql + ")" } ?? "")
            """, [.integer(Int64(query.days.lowerBound)), .integer(Int64(query.days.upperBound))]
                + (scope?.parameters ?? [])) {
            let key = AnalyticsQuery.periodName(of: Int(row.int64("day") ?? 0), query.grain)
            let booked = row.string("onboarding_status") == "booked" ? 1 : 0
            groups[key] = ((groups[key]?.leads ?? 0) + 1, (groups[key]?.booked ?? 0) + booked)
            sources[row.string("source") ?? "whatsapp", default: 0] += 1
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
