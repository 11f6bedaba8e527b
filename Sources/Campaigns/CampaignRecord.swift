import GatewayKit
import Storage

/// A row of `campaigns` with its recipients counted by outcome, as the API shows it: the campaign, its audience
/// (members; how many have WhatsApp — a phone or BSUID and a conversation; how many of those may be sent marketing)
/// with the estimate in words ("850 of 1,050 have WhatsApp"), and its progress by outcome.
public struct CampaignRecord: Sendable {
    public let id: Int64
    public let segmentID: Int64
    public let name: String
    public let template: String
    public let language: String?
    public let variables: [CampaignInput.Variable]
    public let status: String
    public let members: Int64
    public let request: String
    let row: Row
    /// Recipients by outcome (`pending`, `queued`, `sent`, …, `skipped`, `cancelled`).
    public let outcomes: [String: Int64]
    /// Skipped recipients by reason.
    public let skipped: [String: Int64]

    /// Members with WhatsApp.
    public var whatsApp: Int64 { members - (skipped["no_whatsapp"] ?? 0) }
    /// Members with WhatsApp who did not stop marketing messages.
    public var consenting: Int64 { whatsApp - (skipped["consent_withdrawn"] ?? 0) }

    public var json: JSONValue {
        func time(_ column: String) -> JSONValue { row.int64(column).map { .string(Timestamps.rfc3339($0)) } ?? .null }
        var template: [String: JSONValue] = ["name": .string(self.template)]
        if let language { template["language"] = .string(language) }
        let progress = ["pending", "queued", "sent", "delivered", "read", "replied", "failed", "skipped", "cancelled"]
        return [
            "id": .integer(id), "segment_id": .integer(segmentID), "name": .string(name),
            "channel": JSONValue(row.string("channel")), "template": .object(template),
            "variables": .array(variables.map(\.json)), "status": .string(status),
            "audience": ["members": .integer(members), "whatsapp": .integer(whatsApp), "consenting": .integer(consenting),
                         "estimate": .string("\(Self.grouped(whatsApp)) of \(Self.grouped(members)) have WhatsApp")],
            "progress": .object(Dictionary(uniqueKeysWithValues: progress.map { ($0, .integer(outcomes[$0] ?? 0)) })),
            "skipped": .object(skipped.mapValues(JSONValue.integer)),
            "created_by": JSONValue(row.string("created_by")), "created_at": time("created_at"),
            "finished_at": time("finished_at"),
        ]
    }

    /// `1,050`.
    static func grouped(_ number: Int64) -> String {
        let digits = Array(String(number.magnitude))
        let groups = stride(from: digits.count, to: 0, by: -3).reversed().map { end in
            String(digits[max(0, end - 3)..<end])
        }
        return (number < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}

/// The `campaigns` and `campaign_recipients` tables.
enum CampaignTable {
    static func find(_ id: Int64, in c: any DatabaseConnection) throws -> CampaignRecord? {
        try c.queryOne("SELECT * FROM campaigns WHERE id = ?", [.integer(id)]).map { try record($0, in: c) }
    }

    static func find(idempotencyKey: String, in c: any DatabaseConnection) throws -> CampaignRecord? {
        try c.queryOne("SELECT * FROM campaigns WHERE idempotency_key = ?", [.text(idempotencyKey)])
            .map { try record($0, in: c) }
    }

    static func list(segment: Int64, in c: any DatabaseConnection) throws -> [CampaignRecord] {
        try c.query("SELECT * FROM campaigns WHERE segment_id = ? ORDER BY id DESC LIMIT 100", [.integer(segment)])
            .map { try record($0, in: c) }
    }

    /// What the sending loop needs of the oldest campaign still queuing its messages (no counts: it runs every
    /// second).
    static func sending(in c: any DatabaseConnection) throws
        -> (id: Int64, template: String, language: String?, variables: [CampaignInput.Variable])? {
        try c.queryOne("""
            SELECT id, template, language, variables FROM campaigns WHERE status = 'sending' ORDER BY id LIMIT 1
            """).map { row in
            (row.int64("id") ?? 0, row.string("template") ?? "", row.string("language"), variables(row))
        }
    }

    private static func variables(_ row: Row) -> [CampaignInput.Variable] {
        CampaignInput.Variable.stored((try? JSONParser.parse(Array((row.string("variables") ?? "[]").utf8))) ?? .array([]))
    }

    /// Moves recipients of campaign `id` in `from` to `outcome` (with `reason`).
    static func settle(campaign id: Int64, customer: Int64? = nil, from: [String], to outcome: String, reason: String?,
                       now: Int64, in c: any DatabaseConnection) throws {
        let allowed = SQLCondition.membership("outcome", from)
        var sql = "UPDATE campaign_recipients SET outcome = ?, reason = ?, updated_at = ? WHERE campaign_id = ? AND \(allowed.sql)"
        var values: [SQLValue] = [.text(outcome), reason.map(SQLValue.text) ?? .null, .integer(now), .integer(id)]
            + allowed.parameters
        if let customer {
            sql += " AND customer_id = ?"
            values.append(.integer(customer))
        }
        try c.run(sql, values)
    }

    static func finish(_ id: Int64, status: String, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE campaigns SET status = ?, finished_at = ?, updated_at = ? WHERE id = ?",
                  [.text(status), .integer(now), .integer(now), .integer(id)])
    }

    private static func record(_ row: Row, in c: any DatabaseConnection) throws -> CampaignRecord {
        let id = row.int64("id") ?? 0
        var outcomes: [String: Int64] = [:], skipped: [String: Int64] = [:]
        for count in try c.query("""
            SELECT outcome, reason, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY outcome, reason
            """, [.integer(id)]) {
            let (outcome, n) = (count.string("outcome") ?? "", count.int64("n") ?? 0)
            outcomes[outcome, default: 0] += n
            if outcome == "skipped" { skipped[count.string("reason") ?? "unknown", default: 0] += n }
        }
        return CampaignRecord(
            id: id, segmentID: row.int64("segment_id") ?? 0, name: row.string("name") ?? "",
            template: row.string("template") ?? "", language: row.string("language"),
            variables: variables(row),
            status: row.string("status") ?? "", members: row.int64("members") ?? 0, request: row.string("request") ?? "",
            row: row, outcomes: outcomes, skipped: skipped)
    }
}
