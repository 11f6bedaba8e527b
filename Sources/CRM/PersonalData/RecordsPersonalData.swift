import Access
import GatewayKit
import Storage

/// CRM's part of the personal data: the deals and tickets of the person's contacts, their timeline entries (chat
/// previews) and the cached answers of API calls that returned them. An erasure keeps the records (counts, statuses,
/// outlets, times) without the name, and drops the timeline previews and the cached answers.
public struct RecordsPersonalData: PersonalDataHolder {
    public let section = "records"
    private let links: RecordLinks

    public init(links: RecordLinks) {
        self.links = links
    }

    public func export(_ subject: PersonalDataSubject, in c: any DatabaseConnection) throws -> JSONValue {
        var sections: [String: JSONValue] = [:]
        for kind in RecordKind.allCases {
            var query = RecordQuery()
            query.limit = 10_000
            query.within = .membership("contact_id", subject.contactIDs)
            let records = try RecordTable.of(kind).list(query, in: c)
            sections[kind.table] = .array(try records.map { record in
                guard case .object(var json) = record.json(links) else { return .null }
                json["timeline"] = .array(try TimelineTable.list(kind, recordID: record.id, in: c).map(\.json))
                return .object(json)
            })
        }
        return .object(sections)
    }

    public func erase(_ subject: PersonalDataSubject, at now: Int64, in c: any DatabaseConnection) throws -> Int {
        var changed = 0
        let mine = SQLCondition.membership("contact_id", subject.contactIDs)
        for kind in RecordKind.allCases {
            try c.run("""
                DELETE FROM timeline_entries WHERE kind = ? AND record_id IN (SELECT id FROM \(kind.table) WHERE \(mine.sql))
                """, [.text(kind.rawValue)] + mine.parameters)
            changed += c.changes
            let extra = kind == .ticket ? ", reporter = NULL" : ""
            try c.run("UPDATE \(kind.table) SET name = '(erased)'\(extra) WHERE \(mine.sql)", mine.parameters)
            changed += c.changes
        }
        let answers = SQLCondition.mentions("response_body", subject.contactIDs + subject.needles)
        try c.run("DELETE FROM api_idempotency WHERE \(answers.sql)", answers.parameters)
        return changed + c.changes
    }
}
