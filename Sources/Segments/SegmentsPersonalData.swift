import Access
import GatewayKit
import Storage

/// Segments' part of the personal data: which segments the person is a member of. An erasure takes them out of
/// every segment (their customer row no longer matches any rule either).
public struct SegmentsPersonalData: PersonalDataHolder {
    public let section = "segments"

    public init() {}

    public func export(_ subject: PersonalDataSubject, in c: any DatabaseConnection) throws -> JSONValue {
        let mine = SQLCondition.membership("m.customer_id", ids: subject.customerIDs)
        return .array(try c.query("""
            SELECT s.id, s.name, m.added_at FROM segment_members m JOIN segments s ON s.id = m.segment_id
            WHERE \(mine.sql) ORDER BY s.id
            """, mine.parameters).map { row in
            ["segment_id": .integer(row.int64("id") ?? 0), "segment_name": JSONValue(row.string("name")),
             "added_at": .string(Timestamps.rfc3339(row.int64("added_at") ?? 0))]
        })
    }

    public func erase(_ subject: PersonalDataSubject, at now: Int64, in c: any DatabaseConnection) throws -> Int {
        let mine = SQLCondition.membership("customer_id", ids: subject.customerIDs)
        try c.run("DELETE FROM segment_members WHERE \(mine.sql)", mine.parameters)
        return c.changes
    }
}
