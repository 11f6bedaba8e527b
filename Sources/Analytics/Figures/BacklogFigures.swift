import GatewayKit
import Storage

/// The backlog — open and pending tickets — by age since opening (`under_1h`, `1h_to_4h`, `4h_to_24h`, `1d_to_3d`,
/// `over_3d`): `now`, and at the end of each period of the range (`group_by` day, week or month; day by default) that
/// has ended. A reopened ticket counts as open from its opening to its last resolution.
enum BacklogFigures {
    static func json(_ query: AnalyticsQuery, now: Int64, scope: SQLCondition?,
                     in c: any DatabaseConnection) throws -> JSONValue {
        let grain = query.grain ?? .day
        // The last day of each period that ended by now.
        let today = CalendarDate(unixMillis: now, in: query.period.timeZone).daysSinceEpoch
        var ends: [(name: String, day: Int)] = []
        for day in query.days where day < today {
            let name = AnalyticsQuery.periodName(of: day, grain)!
            if day == query.days.upperBound || AnalyticsQuery.periodName(of: day + 1, grain) != name {
                ends.append((name, day))
            }
        }
        var changes: [(day: Int, age: BacklogAge, change: Int)] = []
        if let scope {
            var rollup = RollupChanges(dimensions: [], timeZone: query.period.timeZone)
            for fact in try TicketFact.recorded(within: scope, days: Int.min...query.days.upperBound, backlog: true,
                                                in: c) {
                rollup.add(fact, sign: 1, months: false)
            }
            changes = rollup.backlog.map { ($0.key.day, $0.key.age, $0.value) }
        } else {
            changes = try c.query("""
                SELECT day, age, change FROM analytics_backlog_changes WHERE day <= ?
                """, [.integer(Int64(query.days.upperBound))]).compactMap { row in
                guard let day = row.int64("day"), let age = row.string("age").flatMap(BacklogAge.init(rawValue:)) else {
                    return nil
                }
                return (Int(day), age, Int(row.int64("change") ?? 0))
            }
        }
        changes.sort { $0.day < $1.day }
        var running: [BacklogAge: Int] = [:]
        var index = 0
        var rows: [JSONValue] = []
        for end in ends {
            while index < changes.count, changes[index].day <= end.day {
                running[changes[index].age, default: 0] += changes[index].change
                index += 1
            }
            rows.append(["period": .string(end.name),
                         "at": .string(Timestamps.rfc3339(ReportPeriod.midnight(of: CalendarDate(daysSinceEpoch: end.day + 1),
                                                                                in: query.period.timeZone))),
                         "ages": ages(running)])
        }
        var current: [BacklogAge: Int] = [:]
        for row in try c.query("""
            SELECT opened_at FROM analytics_ticket_facts WHERE ended_at IS NULL\(scope.map { " AND (" + $0.sql + ")" } ?? "")
            """, scope?.parameters ?? []) {
            current[BacklogAge.of(ageMilliseconds: max(0, now - (row.int64("opened_at") ?? now))), default: 0] += 1
        }
        var answer = query.echo
        answer["group_by"] = .array([.string(grain.rawValue)])
        answer["now"] = ["at": .string(Timestamps.rfc3339(now)), "ages": ages(current)]
        answer["rows"] = .array(rows)
        return .object(answer)
    }

    private static func ages(_ counts: [BacklogAge: Int]) -> JSONValue {
        var object = Dictionary(uniqueKeysWithValues: BacklogAge.allCases.map { ($0.rawValue, JSONValue.integer(Int64(counts[$0] ?? 0))) })
        object["total"] = .integer(Int64(counts.values.reduce(0, +)))
        return .object(object)
    }
}
