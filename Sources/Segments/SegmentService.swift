import Access
import Delivery
import Foundation
import GatewayKit
import Storage

/// Segments for the API: create (within the plan's limit), edit (back to not ready), duplicate, archive and
/// unarchive — each audited in its transaction — list and search, preview a rule, read members, refresh (at most once
/// per `segments.refresh_interval`), and the segments of one customer.
public struct SegmentService: Sendable {
    public static let limitReached = "Segment limit reached. Delete an existing segment to create a new one."

    private let database: any Database
    private let settings: SegmentSettings
    private let log: EventLog
    private let metrics: MetricsRegistry
    /// Whether membership changes go to the CRM (`crm.events_url` is set).
    private let events: Bool

    public init(database: any Database, settings: SegmentSettings, events: Bool, log: EventLog,
                metrics: MetricsRegistry) {
        self.database = database
        self.settings = settings
        self.events = events
        self.log = log
        self.metrics = metrics
    }

    func query(at now: Int64, catalogue: SegmentCatalogue) -> SegmentQuery {
        SegmentQuery(now: now, timeZone: .named(settings.timeZone), catalogue: catalogue)
    }

    /// The fields segments may use now (the built-in ones and the organisation's contact fields). Blocking read.
    public func catalogue() throws -> SegmentCatalogue {
        try database.read { try SegmentCatalogue.load(in: $0) }
    }

    public func create(_ input: SegmentInput, by caller: Caller, now: Int64, answer: @escaping Answer<SegmentRecord>) {
        let limit = settings.limit
        database.write({ c in
            guard try SegmentRecords.activeCount(in: c) < limit else { throw GatewayError.conflict(Self.limitReached) }
            let id = try SegmentRecords.insert(input, createdBy: caller.actor, now: now, in: c)
            try AuditTrail.record(AuditEntry(action: "segment.created", subjectType: "segment", subjectID: String(id)),
                                  by: caller, at: now, in: c)
            return try Self.existing(id, in: c)
        }, answer: answer)
    }

    /// A new rule or name: the segment is not ready until its next evaluation.
    public func update(_ id: Int64, _ input: SegmentInput, by caller: Caller, now: Int64,
                       answer: @escaping Answer<SegmentRecord>) {
        database.write({ c in
            try caller.mayChange(createdBy: try Self.existing(id, in: c).createdBy, with: .segmentsManage)
            try c.run("""
                UPDATE segments SET name = ?, description = ?, rule = ?, readiness = 'not_ready', updated_at = ?
                WHERE id = ?
                """, [.text(input.name), input.description.map(SQLValue.text) ?? .null,
                      .text(JSONWriter.string(input.rule.json)), .integer(now), .integer(id)])
            try AuditTrail.record(AuditEntry(action: "segment.updated", subjectType: "segment", subjectID: String(id)),
                                  by: caller, at: now, in: c)
            return try Self.existing(id, in: c)
        }, answer: answer)
    }

    /// "Copy of <name>", the same rule, not ready; counts toward the limit.
    public func duplicate(_ id: Int64, by caller: Caller, now: Int64, answer: @escaping Answer<SegmentRecord>) {
        let limit = settings.limit
        database.write({ c in
            let original = try Self.existing(id, in: c)
            guard try SegmentRecords.activeCount(in: c) < limit else { throw GatewayError.conflict(Self.limitReached) }
            guard let rule = SegmentRecords.rule(of: original, catalogue: try SegmentCatalogue.load(in: c)) else {
                throw GatewayError.conflict("segment \(id) names a contact field that no longer exists")
            }
            let name = String("Copy of \(original.name)".prefix(SegmentInput.maxName))
            let copy = try SegmentRecords.insert(SegmentInput(name: name, description: original.description, rule: rule),
                                                 createdBy: caller.actor, now: now, in: c)
            try AuditTrail.record(AuditEntry(action: "segment.duplicated", subjectType: "segment",
                                             subjectID: String(copy), detail: ["from": .integer(id)]),
                                  by: caller, at: now, in: c)
            return try Self.existing(copy, in: c)
        }, answer: answer)
    }

    /// Archives (`archived` true) or brings back an archived segment (within the limit).
    public func setArchived(_ id: Int64, _ archived: Bool, by caller: Caller, now: Int64,
                            answer: @escaping Answer<SegmentRecord>) {
        let limit = settings.limit
        database.write({ c in
            let segment = try Self.existing(id, in: c)
            try caller.mayChange(createdBy: segment.createdBy, with: .segmentsArchive)
            guard (segment.status == "archived") != archived else { return segment }
            if !archived, try SegmentRecords.activeCount(in: c) >= limit { throw GatewayError.conflict(Self.limitReached) }
            try c.run("UPDATE segments SET status = ?, archived_at = ?, updated_at = ? WHERE id = ?",
                      [.text(archived ? "archived" : "active"), archived ? .integer(now) : .null, .integer(now),
                       .integer(id)])
            try AuditTrail.record(AuditEntry(action: archived ? "segment.archived" : "segment.unarchived",
                                             subjectType: "segment", subjectID: String(id)), by: caller, at: now, in: c)
            return try Self.existing(id, in: c)
        }, answer: answer)
    }

    public func find(_ id: Int64) throws -> SegmentRecord? {
        try database.read { try SegmentRecords.find(id, in: $0) }
    }

    /// The segment with what its detail page shows: `reach_percent` (members of all live customers),
    /// `whatsapp_reachable` (members with a phone or BSUID and a conversation) and `email_reachable` (members with an
    /// email), as of the last evaluation. Blocking read.
    public func detail(_ id: Int64) throws -> JSONValue? {
        try database.read { c in
            guard let record = try SegmentRecords.find(id, in: c), case .object(var json) = record.json else { return nil }
            let total = try c.queryOne("SELECT count(*) AS n FROM customer_profiles")?.int64("n") ?? 0
            let reachable = try SegmentReachability.counts(of: id, in: c)
            json["reach_percent"] = SegmentReachability.percent(record.memberCount, of: total)
            json["whatsapp_reachable"] = .integer(reachable.whatsapp)
            json["email_reachable"] = .integer(reachable.email)
            return .object(json)
        }
    }

    /// The segment's Performance tab at `now` (``SegmentPerformance``); nil when there is no such segment. Blocking read.
    public func performance(_ id: Int64, range: SegmentPerformance.Range, now: Int64) throws -> JSONValue? {
        try database.read { c in
            guard let record = try SegmentRecords.find(id, in: c) else { return nil }
            return try SegmentPerformance.report(record, range: range, now: now, timeZone: .named(settings.timeZone), in: c)
        }
    }

    public func list(search: String?, createdFrom: Int64?, createdTo: Int64?, status: String?, after: Int64?,
                     limit: Int) throws -> [SegmentRecord] {
        try database.read {
            try SegmentRecords.list(search: search, createdFrom: createdFrom, createdTo: createdTo, status: status,
                                    after: after, limit: limit, in: $0)
        }
    }

    /// Up to `limit` distinct values customers have for `field`, starting with `prefix` (case-insensitive), in order:
    /// the builder's value suggestions. Dates have none (a date picker); booleans are true and false. Blocking read.
    public func suggestions(for field: SegmentField, prefix: String, limit: Int, now: Int64) throws -> [JSONValue] {
        switch field.type {
        case .date: return []
        case .boolean: return [.bool(true), .bool(false)]
        case .text, .number, .percentage: break
        }
        let pattern = SQLValue.text(prefix.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%")
        let sql: String
        switch field.source {
        case .identifiers(let kind):
            sql = """
                SELECT DISTINCT value AS v FROM customer_identifier_values
                WHERE kind = '\(kind)' AND lower(value) LIKE ? ESCAPE '\\' ORDER BY v LIMIT ?
                """
        case .association(let view, let column):
            sql = """
                SELECT DISTINCT \(column) AS v FROM \(view)
                WHERE \(column) IS NOT NULL AND lower(\(column)) LIKE ? ESCAPE '\\' ORDER BY v LIMIT ?
                """
        case .contactField(let key, _):
            sql = """
                SELECT DISTINCT \(field.type == .text ? "value" : "number") AS v FROM customer_custom_values
                WHERE field_key = '\(key.replacingOccurrences(of: "'", with: "''"))' AND lower(value) LIKE ? ESCAPE '\\'
                ORDER BY v LIMIT ?
                """
        case .column(let expression):
            let e = query(at: now, catalogue: SegmentCatalogue()).filled(expression)
            sql = """
                SELECT DISTINCT \(e) AS v \(SegmentQuery.from(for: e))
                WHERE \(e) IS NOT NULL AND lower(CAST(\(e) AS TEXT)) LIKE ? ESCAPE '\\' ORDER BY v LIMIT ?
                """
        }
        return try database.read { c in
            try c.query(sql, [pattern, .integer(Int64(limit))]).compactMap { row in
                field.type == .text ? row.string("v").map(JSONValue.string) : row.double("v").map(JSONValue.number)
            }
        }
    }

    /// `matched` of `total` customers for `rule` now. Blocking read.
    public func preview(_ rule: SegmentRule, now: Int64) throws -> (matched: Int64, total: Int64) {
        try database.read { c in
            try SegmentEvaluation.preview(rule, query: query(at: now, catalogue: try SegmentCatalogue.load(in: c)), in: c)
        }
    }

    /// A page of members (oldest customer first): `{"contact_id", "full_name", "added_at"}`.
    public func members(_ id: Int64, after: Int64, limit: Int) throws -> [JSONValue]? {
        try database.read { c in
            guard try SegmentRecords.find(id, in: c) != nil else { return nil }
            return try c.query("""
                SELECT m.customer_id, m.added_at, p.contact_id, p.full_name FROM segment_members m
                JOIN customer_profiles p ON p.customer_id = m.customer_id
                WHERE m.segment_id = ? AND m.customer_id > ? ORDER BY m.customer_id LIMIT ?
                """, [.integer(id), .integer(after), .integer(Int64(limit))]).map { row in
                ["cursor": .string(String(row.int64("customer_id") ?? 0)), "contact_id": JSONValue(row.string("contact_id")),
                 "full_name": JSONValue(row.string("full_name")),
                 "added_at": .string(Timestamps.rfc3339(row.int64("added_at") ?? 0))]
            }
        }
    }

    /// The active segments contact `contactID` is a member of (`GET /v1/customers/{id}/segments`); nil when there is
    /// no such customer.
    public func segments(ofContact contactID: String) throws -> [JSONValue]? {
        try database.read { c in
            guard let customer = try c.queryOne("SELECT customer_id FROM customer_profiles WHERE contact_id = ?",
                                                [.text(contactID)])?.int64("customer_id") else { return nil }
            return try c.query("""
                SELECT s.id, s.name FROM segment_members m JOIN segments s ON s.id = m.segment_id
                WHERE m.customer_id = ? AND s.status = 'active' ORDER BY s.id
                """, [.integer(customer)]).map { row in
                ["segment_id": .integer(row.int64("id") ?? 0), "segment_name": JSONValue(row.string("name"))]
            }
        }
    }

    /// Starts an evaluation of segment `id` now (answered once queued); 429 within `segments.refresh_interval` of the
    /// previous refresh, naming the minutes to wait.
    public func refresh(_ id: Int64, by caller: Caller, now: Int64, answer: @escaping Answer<SegmentRecord>) {
        let interval = Int64(settings.refreshIntervalMilliseconds)
        database.write({ c in
            let segment = try Self.existing(id, in: c)
            try caller.mayChange(createdBy: segment.createdBy, with: .segmentsManage)
            guard segment.status == "active" else { throw GatewayError.conflict("segment \(id) is archived") }
            if let last = segment.refreshedAt, now - last < interval {
                let wait = interval - (now - last)
                let minutes = Int((wait + 59_999) / 60_000)
                throw GatewayError.tooManyRequests("Segment was recently refreshed. Try again in \(minutes) minutes.",
                                                   retryAfterSeconds: Int((wait + 999) / 1000))
            }
            try c.run("UPDATE segments SET refreshed_at = ? WHERE id = ?", [.integer(now), .integer(id)])
            try AuditTrail.record(AuditEntry(action: "segment.refreshed", subjectType: "segment", subjectID: String(id)),
                                  by: caller, at: now, in: c)
            return segment
        }, answer: { [self] result in
            if case .success = result { DispatchQueue.global().async { evaluate(id, now: now) } }
            answer(result)
        })
    }

    /// Evaluates segment `id` at `now`, logs the outcome (`cdp_segment_evaluated` with member_count and
    /// evaluation_duration_ms, or `cdp_segment_evaluation_failed`, membership untouched) and says whether it
    /// succeeded. Blocking: for the nightly run and background queues.
    @discardableResult
    public func evaluate(_ id: Int64, now: Int64) -> Bool {
        let events = self.events
        do {
            let outcome = try database.write { [self] c in
                try SegmentEvaluation.evaluate(id, query: query(at: now, catalogue: try SegmentCatalogue.load(in: c)),
                                               now: now, events: events, in: c)
            }
            metrics.increment("gateway_segment_evaluations_total", [("outcome", "evaluated")],
                              help: "Segment evaluations, by outcome")
            log.info("cdp_segment_evaluated", ["segment_id": String(id), "member_count": String(outcome.memberCount),
                                               "evaluation_duration_ms": String(outcome.durationMilliseconds),
                                               "added": String(outcome.added), "removed": String(outcome.removed)])
            return true
        } catch {
            metrics.increment("gateway_segment_evaluations_total", [("outcome", "failed")],
                              help: "Segment evaluations, by outcome")
            log.error("cdp_segment_evaluation_failed", ["segment_id": String(id), "error": "\(error)"])
            _ = try? database.write { try SegmentEvaluation.record("failed", of: id, error: "\(error)", now: now, in: $0) }
            return false
        }
    }

    /// The active segments, oldest first (what the nightly run evaluates). Blocking read.
    public func activeIDs() throws -> [Int64] {
        try database.read { try $0.query("SELECT id FROM segments WHERE status = 'active' ORDER BY id").compactMap { $0.int64("id") } }
    }

    /// Records that the nightly run had no time left for segment `id` (`cdp_segment_evaluation_skipped`).
    func skip(_ id: Int64, now: Int64) {
        metrics.increment("gateway_segment_evaluations_total", [("outcome", "skipped")], help: "Segment evaluations, by outcome")
        log.error("cdp_segment_evaluation_skipped", ["segment_id": String(id), "reason": "segments.evaluation_timeout"])
        _ = try? database.write { try SegmentEvaluation.record("skipped", of: id, error: nil, now: now, in: $0) }
    }

    private static func existing(_ id: Int64, in c: any DatabaseConnection) throws -> SegmentRecord {
        guard let record = try SegmentRecords.find(id, in: c) else { throw GatewayError.notFound("no segment \(id)") }
        return record
    }
}
