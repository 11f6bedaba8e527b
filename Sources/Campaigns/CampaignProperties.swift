import Storage

/// The member properties a campaign's template variables may name, and their values for a batch of members — one
/// query per kind of property, never one per member. `full_name`, `contact_id`, `phone_number` and `email` are the
/// customer's own (the lowest phone or email when there are several); any other name is a contact field, the
/// organisation's as `custom.<key>`, a built-in one (`job_title`, `loyalty_tier`, …) by its plain key (several values of a multiple selection are joined with ", ").
enum CampaignProperties {
    static let own = ["full_name", "contact_id", "phone_number", "email"]

    /// Whether `name` is a property the store knows now.
    static func exists(_ name: String, in c: any DatabaseConnection) throws -> Bool {
        if own.contains(name) { return true }
        // An organisation's field is `custom.<key>`, a built-in one its plain key (as segments name them).
        return try c.queryOne("SELECT 1 AS found FROM contact_field_definitions WHERE key = ? AND built_in = ?",
                              [.text(fieldKey(name)), .integer(name.hasPrefix("custom.") ? 0 : 1)]) != nil
    }

    /// The contact field key a property names.
    static func fieldKey(_ name: String) -> String { name.hasPrefix("custom.") ? String(name.dropFirst(7)) : name }

    /// Each customer's values of `names`, by customer id then property name; a property the customer has no value
    /// for is missing.
    static func values(of names: Set<String>, for customers: [Int64],
                       in c: any DatabaseConnection) throws -> [Int64: [String: String]] {
        var values: [Int64: [String: String]] = [:]
        let mine = SQLCondition.membership("customer_id", ids: customers)
        if names.contains("full_name") || names.contains("contact_id") {
            for row in try c.query("SELECT customer_id, contact_id, full_name FROM customer_profiles WHERE \(mine.sql)",
                                   mine.parameters) {
                guard let id = row.int64("customer_id") else { continue }
                values[id, default: [:]]["contact_id"] = row.string("contact_id")
                values[id, default: [:]]["full_name"] = row.string("full_name").flatMap { $0.isEmpty ? nil : $0 }
            }
        }
        let kinds = [("phone", "phone_number"), ("email", "email")].filter { names.contains($0.1) }
        if !kinds.isEmpty {
            let kind = SQLCondition.membership("kind", kinds.map(\.0))
            for row in try c.query("""
                SELECT customer_id, kind, min(value) AS value FROM customer_identifier_values
                WHERE \(mine.sql) AND \(kind.sql) GROUP BY customer_id, kind
                """, mine.parameters + kind.parameters) {
                guard let id = row.int64("customer_id"), let value = row.string("value") else { continue }
                values[id, default: [:]][row.string("kind") == "phone" ? "phone_number" : "email"] = value
            }
        }
        let fields = names.filter { !own.contains($0) }
        if !fields.isEmpty {
            let keys = SQLCondition.membership("field_key", fields.map(fieldKey))
            for row in try c.query("""
                SELECT customer_id, field_key, \(c.dialect.groupConcat("value", separator: "', '")) AS value
                FROM customer_custom_values
                WHERE \(mine.sql) AND \(keys.sql) GROUP BY customer_id, field_key
                """, mine.parameters + keys.parameters) {
                guard let id = row.int64("customer_id"), let key = row.string("field_key"),
                      let value = row.string("value") else { continue }
                for name in fields where fieldKey(name) == key { values[id, default: [:]][name] = value }
            }
        }
        return values
    }
}
