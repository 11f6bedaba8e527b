import GatewayKit
import Storage

/// A row of `segments`, as the API shows it.
public struct SegmentRecord: Sendable {
    public let id: Int64
    public let name: String
    public let description: String?
    public let rule: JSONValue
    public let status: String
    public let readiness: String
    public let memberCount: Int64
    public let evaluatedAt: Int64?
    public let refreshedAt: Int64?
    public let createdBy: String
    public let createdAt: Int64
    public let updatedAt: Int64
    public let archivedAt: Int64?

    public var json: JSONValue {
        func time(_ millis: Int64?) -> JSONValue { millis.map { .string(Timestamps.rfc3339($0)) } ?? .null }
        var object = rule.objectValue ?? [:]
        object["id"] = .integer(id)
        object["name"] = .string(name)
        object["description"] = description.map(JSONValue.string) ?? .null
        object["status"] = .string(status)
        object["readiness"] = .string(readiness)
        object["member_count"] = .integer(memberCount)
        object["evaluated_at"] = time(evaluatedAt)
        object["created_by"] = .string(createdBy)
        object["created_at"] = time(createdAt)
        object["updated_at"] = time(updatedAt)
        object["archived_at"] = time(archivedAt)
        return .object(object)
    }
}

/// The `segments` table.
public enum SegmentRecords {
    public static func find(_ id: Int64, in c: any DatabaseConnection) throws -> SegmentRecord? {
        try c.queryOne("SELECT * FROM segments WHERE id = ?", [.integer(id)]).map(record)
    }

    static func activeCount(in c: any DatabaseConnection) throws -> Int {
        try c.queryOne("SELECT count(*) AS n FROM segments WHERE status = 'active'")?.int("n") ?? 0
    }

    static func insert(_ input: SegmentInput, createdBy: String, now: Int64, in c: any DatabaseConnection) throws -> Int64 {
        try c.run("""
            INSERT INTO segments (name, description, rule, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(input.name), input.description.map(SQLValue.text) ?? .null,
                  .text(JSONWriter.string(input.rule.json)), .text(createdBy), .integer(now), .integer(now)])
        return c.lastInsertRowID
    }

    static func list(search: String?, createdFrom: Int64?, createdTo: Int64?, status: String?, after: Int64?,
                     limit: Int, in c: any DatabaseConnection) throws -> [SegmentRecord] {
        var conditions = ["id < ?"]
        var values: [SQLValue] = [.integer(after ?? Int64.max)]
        if let search {
            conditions.append("instr(lower(name), ?) > 0")
            values.append(.text(search.lowercased()))
        }
        if let createdFrom { conditions.append("created_at >= ?"); values.append(.integer(createdFrom)) }
        if let createdTo { conditions.append("created_at < ?"); values.append(.integer(createdTo)) }
        if let status { conditions.append("status = ?"); values.append(.text(status)) }
        return try c.query("SELECT * FROM segments WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?",
                           values + [.integer(Int64(limit))]).map(record)
    }

    /// The stored rule read against today's catalogue; nil when it no longer fits (a custom field it names is gone).
    static func rule(of record: SegmentRecord, catalogue: SegmentCatalogue) -> SegmentRule? {
        guard let object = record.rule.objectValue else { return nil }
        var v = FieldValidator(object)
        let rule = SegmentRule.read(object, catalogue: catalogue, into: &v)
        return v.errors.isEmpty ? rule : nil
    }

    private static func record(_ row: Row) -> SegmentRecord {
        SegmentRecord(id: row.int64("id") ?? 0, name: row.string("name") ?? "", description: row.string("description"),
                      rule: row.string("rule").flatMap { try? JSONParser.parse(Array($0.utf8)) } ?? .null,
                      status: row.string("status") ?? "active", readiness: row.string("readiness") ?? "not_ready",
                      memberCount: row.int64("member_count") ?? 0, evaluatedAt: row.int64("evaluated_at"),
                      refreshedAt: row.int64("refreshed_at"), createdBy: row.string("created_by") ?? "",
                      createdAt: row.int64("created_at") ?? 0, updatedAt: row.int64("updated_at") ?? 0,
                      archivedAt: row.int64("archived_at"))
    }
}
