import Foundation
import GatewayKit
import Storage

/// What one conversation ticket contributes to the figures, as of its last change. Every figure is about the tickets
/// **opened** in a period (a cohort): a ticket's volume, response times, reopen and CSAT count on the local day it
/// opened, whenever they happened. Its backlog ages count from its opening until it left the backlog (resolved or
/// closed; a reopened ticket counts as open from its opening to its last resolution).
struct TicketFact: Sendable, Equatable {
    var ticketID: Int64
    /// Local day (days since 1970-01-01 in the analytics time zone) the ticket opened.
    var day: Int
    var openedAt: Int64
    /// When it left the backlog; nil while open or pending.
    var endedAt: Int64?
    var fid: String?
    var oid: String?
    var category: String
    var queue: String
    var agent: String
    var channel: String
    var kind: String
    /// First response time and whether it met its SLA target.
    var frt: ResponseTime?
    /// Resolution time (opening to the last resolution) and whether it met its SLA target.
    var art: ResponseTime?
    var reopened: Bool
    var surveys: Int
    /// Answers with rating 1…5 (index 0 = rating 1).
    var ratings: [Int]
    var keywords: [String]

    /// `'fid/oid'`, or '' while the ticket is linked to no outlet.
    var outlet: String {
        fid == nil && oid == nil ? "" : "\(fid ?? "")/\(oid ?? "")"
    }
}

/// How long a ticket took to a first response or a resolution, and whether that met its SLA target.
struct ResponseTime: Sendable, Equatable {
    var milliseconds: Int64
    var withinSLA: Bool

    /// From `start` to `end`; within SLA when there is no target `due` or `end` is not after it.
    init(from start: Int64, to end: Int64, due: Int64?) {
        milliseconds = max(0, end - start)
        withinSLA = due.map { end <= $0 } ?? true
    }

    init(milliseconds: Int64, withinSLA: Bool) {
        self.milliseconds = milliseconds
        self.withinSLA = withinSLA
    }
}

extension TicketFact {
    /// The facts of `ids` as the tickets are now (read through the views CRM and Conversations publish); a ticket
    /// that is gone (deleted) has none.
    static func current(_ ids: [Int64], timeZone: TimeZone, in c: any DatabaseConnection) throws -> [Int64: TicketFact] {
        guard !ids.isEmpty else { return [:] }
        let list = ids.map { .integer($0) as SQLValue }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var facts: [Int64: TicketFact] = [:]
        for row in try c.query("SELECT * FROM ticket_figures WHERE ticket_id IN (\(marks))", list) {
            guard let id = row.int64("ticket_id"), let openedAt = row.int64("created_at") else { continue }
            let status = row.string("status") ?? "open"
            let ended = status == "resolved" || status == "closed"
            let resolvedAt = row.int64("resolved_at")
            var fact = TicketFact(
                ticketID: id, day: CalendarDate(unixMillis: openedAt, in: timeZone).daysSinceEpoch,
                openedAt: openedAt, endedAt: ended ? (resolvedAt ?? row.int64("closed_at") ?? openedAt) : nil,
                fid: row.string("fid"), oid: row.string("oid"), category: row.string("category") ?? "",
                queue: row.string("queue") ?? "", agent: row.string("assignee") ?? "",
                channel: row.string("channel") ?? "", kind: row.string("kind") ?? "", frt: nil, art: nil,
                reopened: (row.int64("reopen_count") ?? 0) > 0, surveys: 0, ratings: [0, 0, 0, 0, 0], keywords: [])
            fact.frt = row.int64("first_response_at").map {
                ResponseTime(from: openedAt, to: $0, due: row.int64("first_response_due_at"))
            }
            if ended, let resolvedAt {
                fact.art = ResponseTime(from: openedAt, to: resolvedAt, due: row.int64("resolution_due_at"))
            }
            facts[id] = fact
        }
        for row in try c.query("SELECT ticket_id, rating FROM ticket_csat_figures WHERE ticket_id IN (\(marks))", list) {
            guard let id = row.int64("ticket_id") else { continue }
            facts[id]?.surveys += 1
            if let rating = row.int64("rating"), (1...5).contains(rating) { facts[id]?.ratings[Int(rating) - 1] += 1 }
        }
        for row in try c.query("""
            SELECT ticket_id, keyword FROM ticket_keyword_figures WHERE ticket_id IN (\(marks)) ORDER BY ticket_id
            """, list) {
            guard let id = row.int64("ticket_id"), let keyword = row.string("keyword") else { continue }
            facts[id]?.keywords.append(keyword)
        }
        return facts
    }

    /// The facts last recorded for `ids`.
    static func recorded(_ ids: [Int64], in c: any DatabaseConnection) throws -> [Int64: TicketFact] {
        guard !ids.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let rows = try c.query("SELECT * FROM analytics_ticket_facts WHERE ticket_id IN (\(marks))",
                               ids.map { .integer($0) })
        return Dictionary(rows.compactMap(fact(from:)).map { ($0.ticketID, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The recorded facts of the tickets in `scope` (a condition on `fid` / `oid`) opened on or before `lastDay`, and,
    /// unless `backlog`, on or after `firstDay`.
    static func recorded(within scope: SQLCondition, days: ClosedRange<Int>, backlog: Bool,
                         in c: any DatabaseConnection) throws -> [TicketFact] {
        let first = backlog ? Int.min : days.lowerBound
        return try c.query("""
            SELECT * FROM analytics_ticket_facts WHERE (\(scope.sql)) AND day BETWEEN ? AND ?
            """, scope.parameters + [.integer(Int64(first)), .integer(Int64(days.upperBound))]).compactMap(fact(from:))
    }

    static func fact(from row: Row) -> TicketFact? {
        guard let id = row.int64("ticket_id"), let day = row.int64("day"), let openedAt = row.int64("opened_at") else {
            return nil
        }
        let ratings = (row.string("ratings") ?? "").split(separator: ",").compactMap { Int($0) }
        let keywords: [String]
        if case .array(let items)? = try? JSONParser.parse(Array((row.string("keywords") ?? "[]").utf8)) {
            keywords = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        } else {
            keywords = []
        }
        return TicketFact(
            ticketID: id, day: Int(day), openedAt: openedAt, endedAt: row.int64("ended_at"), fid: row.string("fid"),
            oid: row.string("oid"), category: row.string("category") ?? "", queue: row.string("queue") ?? "",
            agent: row.string("agent") ?? "", channel: row.string("channel") ?? "", kind: row.string("kind") ?? "",
            frt: row.int64("frt_ms").map { ResponseTime(milliseconds: $0, withinSLA: row.int64("frt_within") == 1) },
            art: row.int64("art_ms").map { ResponseTime(milliseconds: $0, withinSLA: row.int64("art_within") == 1) },
            reopened: row.int64("reopened") == 1, surveys: Int(row.int64("surveys") ?? 0),
            ratings: ratings.count == 5 ? ratings : [0, 0, 0, 0, 0], keywords: keywords)
    }

    /// The columns of a fact row, in ``values`` order.
    static let columns = ["ticket_id", "day", "opened_at", "ended_at", "fid", "oid", "category", "queue", "agent",
                          "channel", "kind", "frt_ms", "frt_within", "art_ms", "art_within", "reopened", "surveys",
                          "ratings", "keywords"]

    /// Records `facts` in place of what their tickets last contributed.
    static func save(_ facts: [TicketFact], in c: any DatabaseConnection) throws {
        let updates = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try RowInserts.insert(into: "analytics_ticket_facts", columns: columns, rows: facts.map(\.values),
                              conflict: "(ticket_id) DO UPDATE SET \(updates)", in: c)
    }

    /// The fact's row, in ``columns`` order.
    private var values: [SQLValue] {
        [.integer(ticketID), .integer(Int64(day)), .integer(openedAt), SQLValue(endedAt), SQLValue(fid),
         SQLValue(oid), .text(category), .text(queue), .text(agent), .text(channel), .text(kind),
         SQLValue(frt?.milliseconds), SQLValue(frt.map { $0.withinSLA ? 1 : 0 } as Int?),
         SQLValue(art?.milliseconds), SQLValue(art.map { $0.withinSLA ? 1 : 0 } as Int?),
         .integer(reopened ? 1 : 0), .integer(Int64(surveys)), .text(ratings.map(String.init).joined(separator: ",")),
         .text(JSONWriter.string(.array(keywords.map { .string($0) })))]
    }

    /// Forgets what the tickets `ids` (gone) contributed.
    static func forget(_ ids: [Int64], in c: any DatabaseConnection) throws {
        guard !ids.isEmpty else { return }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        try c.run("DELETE FROM analytics_ticket_facts WHERE ticket_id IN (\(marks))", ids.map { .integer($0) })
    }
}
