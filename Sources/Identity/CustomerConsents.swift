import Delivery
import GatewayKit
import Storage

/// The `customer_consents` table: a customer's latest choice per category of messages, as they made it (WhatsApp
/// `user_preferences`: "Stop promotions" → `withdrawn`, "Resume" → `granted`). No row means the customer never said.
/// Every change is an audit row (`consent.withdrawn` / `consent.granted`, subject the category) and so reaches the CRM
/// like any identity change; a choice older than the one stored changes nothing.
public enum CustomerConsents {
    /// Whether the customer reached at `address` (a phone in international digits, or a BSUID) withdrew `category`:
    /// what a marketing send checks before it queues anything.
    public static func isWithdrawn(_ category: String, phone: String? = nil, bsuid: String? = nil,
                                   in c: any DatabaseConnection) throws -> Bool {
        let customer: String
        let value: String
        if let phone {
            (customer, value) = ("SELECT customer_id FROM customer_identifiers WHERE kind = 'phone' AND value = ?", phone)
        } else if let bsuid {
            (customer, value) = ("SELECT customer_id FROM customer_bsuids WHERE bsuid = ?", bsuid)
        } else {
            return false
        }
        return try c.queryOne("""
            SELECT 1 FROM customer_consents
            WHERE customer_id = (\(customer)) AND category = ? AND status = 'withdrawn'
            """, [.text(value), .text(category)]) != nil
    }

    /// Records `preference` for `customerID`; true when it changed the stored choice.
    @discardableResult
    static func record(_ preference: InboundPreference, customerID: Int64, source: String,
                       in changes: IdentityChangeSet) throws -> Bool {
        let status: String
        switch preference.choice {
        case .stop: status = "withdrawn"
        case .resume: status = "granted"
        case .other: return false
        }
        let c = changes.connection
        let before = try c.queryOne("""
            SELECT status, changed_at FROM customer_consents WHERE customer_id = ? AND category = ?
            """, [.integer(customerID), .text(preference.category)])
        if let before, (before.int64("changed_at") ?? 0) > preference.timestamp { return false }
        if let before, before.string("status") == status { return false }
        try c.run("""
            INSERT INTO customer_consents (customer_id, category, status, source, detail, changed_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (customer_id, category) DO UPDATE SET status = excluded.status, source = excluded.source,
                detail = excluded.detail, changed_at = excluded.changed_at, updated_at = excluded.updated_at
            """, [.integer(customerID), .text(preference.category), .text(status), .text(source),
                  SQLValue(preference.detail), .integer(preference.timestamp), .integer(changes.now)])
        try changes.audit(customerID, "consent.\(status)", subject: preference.category,
                          before: before?.string("status").map(JSONValue.string),
                          after: .object(["status": .string(status), "source": .string(source),
                                          "changed_at": .integer(preference.timestamp)]))
        return true
    }

    /// When customers merge, the survivor keeps, per category, whichever choice was made last.
    static func fold(_ loser: Int64, into survivor: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO customer_consents (customer_id, category, status, source, detail, changed_at, updated_at)
            SELECT ?, category, status, source, detail, changed_at, updated_at FROM customer_consents
            WHERE customer_id = ?
            ON CONFLICT (customer_id, category) DO UPDATE SET status = excluded.status, source = excluded.source,
                detail = excluded.detail, changed_at = excluded.changed_at, updated_at = excluded.updated_at
            WHERE excluded.changed_at > customer_consents.changed_at
            """, [.integer(survivor), .integer(loser)])
        try c.run("DELETE FROM customer_consents WHERE customer_id = ?", [.integer(loser)])
    }

    /// `{"<category>": {"status", "source", "detail"?, "changed_at"}}` for the contact document (`changed_at` in unix
    /// seconds, the customer's own time).
    static func json(of customerID: Int64, in c: any DatabaseConnection) throws -> JSONValue {
        var consents: [String: JSONValue] = [:]
        for row in try c.query("""
            SELECT category, status, source, detail, changed_at FROM customer_consents WHERE customer_id = ?
            """, [.integer(customerID)]) {
            guard let category = row.string("category") else { continue }
            var o: [String: JSONValue] = ["status": .string(row.string("status") ?? ""),
                                          "source": .string(row.string("source") ?? ""),
                                          "changed_at": .integer(row.int64("changed_at") ?? 0)]
            o.put("detail", row.string("detail"))
            consents[category] = .object(o)
        }
        return .object(consents)
    }
}
