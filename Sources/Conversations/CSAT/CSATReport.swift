import GatewayKit
import Storage

/// The CSAT report (`GET /v1/csat`, aggregated by ticket, agent and outlet): for the surveys sent in the
/// query's time range, grouped by
/// - `ticket`: key `T-<id>` (every resolution's survey of the ticket together);
/// - `agent`: the ticket's assignee when it was resolved, `unassigned` without one;
/// - `outlet`: the ticket's `fid`/`oid` as they are now (POS linking may come after the survey), key `<fid>/<oid>`,
///   `unlinked` while both are null;
///
/// each group and the totals give `count` (ratings), `average` (2 decimals, null without ratings), `distribution`
/// (`"1"`…`"5"`), `surveys_sent` (queued and not failed), `surveys_failed` (refused by the Cloud API or failed on
/// the way), `comments`, and `response_rate` = count / surveys_sent (4 decimals, null when none was sent). Groups are
/// ordered by ticket id, agent, or fid/oid, with `unassigned` / `unlinked` last; `truncated` says `limit` cut the
/// list (the totals always cover every survey in the range).
public enum CSATReport {
    public static func run(_ query: CSATReportQuery, in c: any DatabaseConnection) throws -> JSONValue {
        let range: [SQLValue] = [.integer(query.from ?? Int64.min), .integer(query.to ?? Int64.max)]
            + (query.within?.parameters ?? [])
        let source = Self.source + (query.within.map { " AND " + $0.sql } ?? "")
        let (groupColumns, order): (String, String)
        switch query.groupBy {
        case .ticket: (groupColumns, order) = ("s.ticket_id, s.ticket_ref", "s.ticket_id")
        case .agent: (groupColumns, order) = ("s.assignee", "s.assignee IS NULL, s.assignee")
        case .outlet: (groupColumns, order) = ("t.fid, t.oid", "t.fid IS NULL AND t.oid IS NULL, t.fid, t.oid")
        }
        let groups = try c.query("""
            SELECT \(groupColumns), \(statistics) \(source)
            GROUP BY \(groupColumns) ORDER BY \(order) LIMIT ?
            """, range + [.integer(Int64(query.limit) + 1)])
        let totals = try c.queryOne("SELECT \(statistics) \(source)", range)
        return [
            "group_by": .string(query.groupBy.rawValue),
            "from": query.from.map { .string(Timestamps.rfc3339($0)) } ?? .null,
            "to": query.to.map { .string(Timestamps.rfc3339($0)) } ?? .null,
            "totals": totals.map(Self.statistics) ?? .null,
            "groups": .array(groups.prefix(query.limit).map { group($0, query.groupBy) }),
            "truncated": .bool(groups.count > query.limit),
        ]
    }

    private static let statistics = """
        count(*) AS surveys, sum(CASE WHEN m.delivery_status = 'failed' THEN 1 ELSE 0 END) AS failed,
        count(r.id) AS ratings, avg(r.rating) AS average, count(r.comment) AS comments,
        \((1...5).map { "sum(CASE WHEN r.rating = \($0) THEN 1 ELSE 0 END) AS r\($0)" }.joined(separator: ", "))
        """

    private static let source = """
        FROM csat_surveys s JOIN ticket_outlet_links t ON t.ticket_id = s.ticket_id
        LEFT JOIN csat_response r ON r.survey_id = s.id LEFT JOIN ticket_messages m ON m.id = s.ticket_message_id
        WHERE s.sent_at >= ? AND s.sent_at < ?
        """

    private static func group(_ row: Row, _ grouping: CSATReportQuery.Grouping) -> JSONValue {
        guard case .object(var members) = statistics(row) else { return .null }
        switch grouping {
        case .ticket:
            members["key"] = JSONValue(row.string("ticket_ref"))
            members["ticket_id"] = JSONValue(row.int64("ticket_id"))
        case .agent:
            members["key"] = .string(row.string("assignee") ?? "unassigned")
            members["agent"] = JSONValue(row.string("assignee"))
        case .outlet:
            let (fid, oid) = (row.string("fid"), row.string("oid"))
            members["key"] = .string(fid == nil && oid == nil ? "unlinked" : "\(fid ?? "-")/\(oid ?? "-")")
            members["fid"] = JSONValue(fid)
            members["oid"] = JSONValue(oid)
        }
        return .object(members)
    }

    private static func statistics(_ row: Row) -> JSONValue {
        let surveys = row.int64("surveys") ?? 0
        let failed = row.int64("failed") ?? 0
        let ratings = row.int64("ratings") ?? 0
        let sent = surveys - failed
        let average = row.double("average").map { JSONValue.number(($0 * 100).rounded() / 100) } ?? .null
        let rate = sent > 0 ? JSONValue.number((Double(ratings) / Double(sent) * 10_000).rounded() / 10_000) : .null
        return [
            "count": .integer(ratings), "average": average,
            "distribution": .object(Dictionary(uniqueKeysWithValues: (1...5).map {
                (String($0), JSONValue.integer(row.int64("r\($0)") ?? 0))
            })),
            "surveys_sent": .integer(sent), "surveys_failed": .integer(failed),
            "comments": .integer(row.int64("comments") ?? 0), "response_rate": rate,
        ]
    }
}

/// Migration 34: `contact_csat (contact_id, average, answers)` — each contact's CSAT answers, published for
/// segmentation (through CRM's `contact_tickets`).
enum ContactCSATMigration {
    static let migration = Migration(version: 34, name: "contact CSAT view", sql: """
        CREATE VIEW contact_csat AS
            SELECT t.contact_id, avg(r.rating) AS average, count(*) AS answers
            FROM csat_response r JOIN contact_tickets t ON t.ticket_id = r.ticket_id GROUP BY t.contact_id;
        """)
}
