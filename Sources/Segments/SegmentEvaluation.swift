import Dispatch
import GatewayKit
import Storage

/// One evaluation of a segment, in one transaction: the rule's query over every live customer, who joined and who
/// left against the stored members, the new count and readiness, and the evaluation's row (the size history). A
/// failure rolls all of it back — a partial result is never marked ready — and is recorded on its own.
enum SegmentEvaluation {
    struct Outcome: Sendable, Equatable {
        let memberCount: Int64
        let added: Int
        let removed: Int
        let durationMilliseconds: Int64
    }

    /// - Parameter events: tell the CRM who joined and left (``SegmentMembershipEvent``).
    static func evaluate(_ id: Int64, query: SegmentQuery, now: Int64, events: Bool,
                         in c: any DatabaseConnection) throws -> Outcome {
        guard let record = try SegmentRecords.find(id, in: c) else { throw GatewayError.notFound("no segment \(id)") }
        guard let rule = SegmentRecords.rule(of: record, catalogue: query.catalogue) else {
            throw GatewayError.conflict("segment \(id) holds a rule the catalogue no longer accepts; edit it")
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let condition = query.condition(rule)
        let matched = "SELECT p.customer_id \(SegmentQuery.from(for: condition.sql)) WHERE \(condition.sql)"
        if events {
            let leaving = try c.query("""
                SELECT p.contact_id FROM segment_members m JOIN customer_profiles p ON p.customer_id = m.customer_id
                WHERE m.segment_id = ? AND m.customer_id NOT IN (\(matched))
                """, [.integer(id)] + condition.parameters).compactMap { $0.string("contact_id") }
            let joining = try c.query("""
                SELECT p.contact_id \(SegmentQuery.from(for: condition.sql)) WHERE \(condition.sql)
                    AND p.customer_id NOT IN (SELECT customer_id FROM segment_members WHERE segment_id = ?)
                """, condition.parameters + [.integer(id)]).compactMap { $0.string("contact_id") }
            try SegmentMembershipEvent.enqueue(segmentID: id, name: record.name, added: joining, removed: leaving,
                                               now: now, in: c)
        }
        try c.run("DELETE FROM segment_members WHERE segment_id = ? AND customer_id NOT IN (\(matched))",
                  [.integer(id)] + condition.parameters)
        let removed = c.changes
        try c.run("""
            INSERT INTO segment_members (segment_id, customer_id, added_at)
            SELECT ?, p.customer_id, ? \(SegmentQuery.from(for: condition.sql)) WHERE \(condition.sql)
            ON CONFLICT DO NOTHING
            """, [.integer(id), .integer(now)] + condition.parameters)
        let added = c.changes
        let count = try c.queryOne("SELECT count(*) AS n FROM segment_members WHERE segment_id = ?",
                                   [.integer(id)])?.int64("n") ?? 0
        let duration = Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        try c.run("UPDATE segments SET member_count = ?, evaluated_at = ?, readiness = 'ready' WHERE id = ?",
                  [.integer(count), .integer(now), .integer(id)])
        try c.run("""
            INSERT INTO segment_evaluations (segment_id, at, outcome, member_count, added, removed, duration_ms)
            VALUES (?, ?, 'evaluated', ?, ?, ?, ?)
            """, [.integer(id), .integer(now), .integer(count), .integer(Int64(added)), .integer(Int64(removed)),
                  .integer(duration)])
        return Outcome(memberCount: count, added: added, removed: removed, durationMilliseconds: duration)
    }

    /// Records an evaluation that did not happen (`failed` with its error, or `skipped` by the nightly run's timeout).
    static func record(_ outcome: String, of id: Int64, error: String?, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("INSERT INTO segment_evaluations (segment_id, at, outcome, error) VALUES (?, ?, ?, ?)",
                  [.integer(id), .integer(now), .text(outcome), error.map(SQLValue.text) ?? .null])
    }

    /// `matched` of `total` live customers for `rule`, without saving anything.
    static func preview(_ rule: SegmentRule, query: SegmentQuery, in c: any DatabaseConnection) throws -> (Int64, Int64) {
        let condition = query.condition(rule)
        let matched = try c.queryOne("SELECT count(*) AS n \(SegmentQuery.from(for: condition.sql)) WHERE \(condition.sql)",
                                     condition.parameters)?.int64("n") ?? 0
        let total = try c.queryOne("SELECT count(*) AS n FROM customer_profiles")?.int64("n") ?? 0
        return (matched, total)
    }
}
