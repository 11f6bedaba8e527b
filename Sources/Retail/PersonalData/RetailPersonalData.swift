import Access
import GatewayKit
import Storage

/// Retail's part of the personal data: which outlets the person speaks for, and renewal opt-outs and reminders of
/// their phones. A phone an outlet still lists is the merchant's business number from the POS, not the person's
/// alone: its opt-out stays (so no reminder resumes) and its reminders keep it; every other trace goes.
public struct RetailPersonalData: PersonalDataHolder {
    public let section = "outlets"

    public init() {}

    public func export(_ subject: PersonalDataSubject, in c: any DatabaseConnection) throws -> JSONValue {
        let mine = SQLCondition.membership("contact_id", subject.contactIDs)
        let links = try c.query("SELECT oid, method, linked_at FROM contact_outlet WHERE \(mine.sql)", mine.parameters)
            .map { row -> JSONValue in
                ["oid": JSONValue(row.string("oid")), "method": JSONValue(row.string("method")),
                 "linked_at": .string(Timestamps.rfc3339(row.int64("linked_at") ?? 0))]
            }
        let phones = SQLCondition.membership("phone", subject.phones)
        let optOuts = try c.query("""
            SELECT phone, keyword, opted_out_at, opted_in_at FROM renewal_opt_outs WHERE \(phones.sql) OR \(mine.sql)
            """, phones.parameters + mine.parameters).map { row -> JSONValue in
            ["phone": JSONValue(row.string("phone")), "keyword": JSONValue(row.string("keyword")),
             "opted_out_at": row.int64("opted_out_at").map { .string(Timestamps.rfc3339($0)) } ?? .null,
             "opted_in_at": row.int64("opted_in_at").map { .string(Timestamps.rfc3339($0)) } ?? .null]
        }
        let reminders = try c.query("""
            SELECT phone, scheduled_date, template, result FROM renewal_attempts WHERE \(phones.sql) ORDER BY id
            """, phones.parameters).map { row -> JSONValue in
            ["phone": JSONValue(row.string("phone")), "scheduled_date": JSONValue(row.string("scheduled_date")),
             "template": JSONValue(row.string("template")), "result": JSONValue(row.string("result"))]
        }
        return ["outlet_links": .array(links), "renewal_opt_outs": .array(optOuts), "renewal_reminders": .array(reminders)]
    }

    public func erase(_ subject: PersonalDataSubject, at now: Int64, in c: any DatabaseConnection) throws -> Int {
        let mine = SQLCondition.membership("contact_id", subject.contactIDs)
        let phones = SQLCondition.membership("phone", subject.phones)
        let personal = "\(phones.sql) AND phone NOT IN (SELECT phone FROM outlet_phones)"
        var changed = 0
        try c.run("DELETE FROM contact_outlet WHERE \(mine.sql)", mine.parameters)
        changed += c.changes
        try c.run("DELETE FROM renewal_opt_outs WHERE \(personal)", phones.parameters)
        changed += c.changes
        try c.run("UPDATE renewal_opt_outs SET contact_id = NULL WHERE \(mine.sql)", mine.parameters)
        changed += c.changes
        try c.run("UPDATE renewal_attempts SET phone = 'erased' WHERE \(personal)", phones.parameters)
        return changed + c.changes
    }
}
