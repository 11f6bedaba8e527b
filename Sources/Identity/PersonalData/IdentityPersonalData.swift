import Access
import GatewayKit
import Storage

/// The identity module's part of the personal data: it finds the subject behind a contact (the survivor of any merge
/// and every customer merged into it, with their phones, BSUIDs, emails, usernames and names), exports the contact
/// document, and erases last — identifiers, BSUID nodes, consents, acquisition, the identity change log and the name
/// go; the customer row stays, marked `erased_at`, so counts stay right and a later message from the same phone makes
/// a new customer.
public struct IdentityPersonalData: PersonalDataSubjects, PersonalDataHolder {
    public let section = "identity"

    public init() {}

    public func subject(contactID: String, in c: any DatabaseConnection) throws -> PersonalDataSubject? {
        guard let row = try c.queryOne("SELECT id, merged_into FROM customers WHERE public_id = ?", [.text(contactID)]),
              let id = row.int64("id") else { return nil }
        let survivor = row.int64("merged_into") ?? id
        let customers = try c.query("""
            WITH RECURSIVE family(id) AS (
                SELECT ? UNION SELECT c.id FROM customers c JOIN family f ON c.merged_into = f.id
            )
            SELECT c.id, c.public_id, c.display_name, c.erased_at FROM customers c JOIN family f ON f.id = c.id
            ORDER BY c.id
            """, [.integer(survivor)])
        let ids = customers.compactMap { $0.int64("id") }
        let within = SQLCondition.membership("customer_id", ids: ids)
        let identifiers = try c.query("SELECT kind, value FROM customer_identifiers WHERE \(within.sql)",
                                      within.parameters)
        let nodes = try c.query("SELECT bsuid, username FROM customer_bsuids WHERE \(within.sql)", within.parameters)
        let main = customers.first { $0.int64("id") == survivor }
        return PersonalDataSubject(
            contactID: main?.string("public_id") ?? contactID,
            contactIDs: customers.compactMap { $0.string("public_id") }, customerIDs: ids,
            phones: identifiers.filter { $0.string("kind") == "phone" }.compactMap { $0.string("value") },
            bsuids: nodes.compactMap { $0.string("bsuid") },
            emails: identifiers.filter { $0.string("kind") == "email" }.compactMap { $0.string("value") },
            usernames: nodes.compactMap { $0.string("username") },
            names: customers.compactMap { $0.string("display_name") }, erasedAt: main?.int64("erased_at"))
    }

    public func export(_ subject: PersonalDataSubject, in c: any DatabaseConnection) throws -> JSONValue {
        let within = SQLCondition.membership("customer_id", ids: subject.customerIDs)
        let changes = try c.query("""
            SELECT actor, action, subject, before, after, created_at FROM identity_audit WHERE \(within.sql) ORDER BY id
            """, within.parameters).map { row -> JSONValue in
            ["actor": JSONValue(row.string("actor")), "action": JSONValue(row.string("action")),
             "subject": JSONValue(row.string("subject")), "before": JSONValue(row.string("before")),
             "after": JSONValue(row.string("after")),
             "at": .string(Timestamps.rfc3339(row.int64("created_at") ?? 0))]
        }
        return ["contact": try ContactDirectory.contact(publicID: subject.contactID, in: c) ?? .null,
                "names": .array(subject.names.map(JSONValue.string)), "changes": .array(changes)]
    }

    public func erase(_ subject: PersonalDataSubject, at now: Int64, in c: any DatabaseConnection) throws -> Int {
        let within = SQLCondition.membership("customer_id", ids: subject.customerIDs)
        var changed = 0
        // BSUID nodes first: they refer to the phone identifiers.
        for table in ["customer_bsuids", "customer_identifiers", "customer_consents", "customer_acquisitions",
                      "identity_audit", "contact_field_values"] {
            try c.run("DELETE FROM \(table) WHERE \(within.sql)", within.parameters)
            changed += c.changes
        }
        let rows = SQLCondition.membership("id", ids: subject.customerIDs)
        try c.run("UPDATE customers SET display_name = NULL, name_at = 0, erased_at = ?, updated_at = ? WHERE \(rows.sql)",
                  [.integer(now), .integer(now)] + rows.parameters)
        return changed + c.changes
    }
}
