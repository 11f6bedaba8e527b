import Access
import GatewayKit
import Storage

/// Campaigns' part of the personal data: the campaigns sent to the person and what became of each. An erasure
/// removes their recipient rows (with the address they were sent to); the campaigns' counts shrink by them.
public struct CampaignsPersonalData: PersonalDataHolder {
    public let section = "campaigns"

    public init() {}

    public func export(_ subject: PersonalDataSubject, in c: any DatabaseConnection) throws -> JSONValue {
        let mine = SQLCondition.membership("r.customer_id", ids: subject.customerIDs)
        return .array(try c.query("""
            SELECT c.id, c.name, c.template, r.address, r.outcome, r.sent_at, r.replied_at
            FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE \(mine.sql) ORDER BY c.id
            """, mine.parameters).map { row in
            ["campaign_id": .integer(row.int64("id") ?? 0), "campaign_name": JSONValue(row.string("name")),
             "template": JSONValue(row.string("template")), "address": JSONValue(row.string("address")),
             "outcome": JSONValue(row.string("outcome")),
             "sent_at": row.int64("sent_at").map { .string(Timestamps.rfc3339($0)) } ?? .null,
             "replied_at": row.int64("replied_at").map { .string(Timestamps.rfc3339($0)) } ?? .null]
        })
    }

    public func erase(_ subject: PersonalDataSubject, at now: Int64, in c: any DatabaseConnection) throws -> Int {
        let mine = SQLCondition.membership("customer_id", ids: subject.customerIDs)
        try c.run("DELETE FROM campaign_recipients WHERE \(mine.sql)", mine.parameters)
        return c.changes
    }
}
