import Storage

/// How other modules reach a customer without reading the identity tables themselves: the name and the newest
/// addresses of a contact (followed to the survivor of a merge), and every phone a contact holds.
public enum ContactAddresses {
    /// The newest phone, else the newest active BSUID, of a contact, with its display name.
    public struct Reachable: Sendable, Equatable {
        public let name: String?
        /// International digits, nil when the contact has no phone.
        public let phone: String?
        /// Nil when a phone is known (Meta prefers phones) or the contact has no active BSUID.
        public let bsuid: String?
    }

    /// The survivor of `publicID`'s name and newest addresses; nil for an unknown contact.
    public static func reachable(_ publicID: String, in c: any DatabaseConnection) throws -> Reachable? {
        try reachable(byPublicID, .text(publicID), in: c)
    }

    /// The same for the customer with row id `customerID` (as ``ContactFieldService/setValues(_:ofContact:now:in:)``
    /// answers it: the survivor already); nil for an unknown customer.
    public static func reachable(customerID: Int64, in c: any DatabaseConnection) throws -> Reachable? {
        try reachable(byRowID, .integer(customerID), in: c)
    }

    /// One statement: the customer followed to the survivor of a merge, with its newest phone and newest active BSUID.
    private static func reachable(_ sql: String, _ key: SQLValue, in c: any DatabaseConnection) throws -> Reachable? {
        guard let row = try c.queryOne(sql, [key]) else { return nil }
        let phone = row.string("phone")
        return Reachable(name: row.string("name"), phone: phone, bsuid: phone == nil ? row.string("bsuid") : nil)
    }

    private static let byPublicID = reachableSQL(where: "c.public_id = ?")
    private static let byRowID = reachableSQL(where: "c.id = ?")

    private static func reachableSQL(where condition: String) -> String {
        """
        SELECT coalesce(m.display_name, c.display_name) AS name,
               (SELECT value FROM customer_identifiers WHERE customer_id = coalesce(m.id, c.id) AND kind = 'phone'
                ORDER BY id DESC LIMIT 1) AS phone,
               (SELECT bsuid FROM customer_bsuids WHERE customer_id = coalesce(m.id, c.id) AND retired_at IS NULL
                ORDER BY id DESC LIMIT 1) AS bsuid
        FROM customers c LEFT JOIN customers m ON m.id = c.merged_into WHERE \(condition)
        """
    }

    /// Every phone of the contact `publicID` itself (international digits, sorted); empty for an unknown contact.
    public static func phones(of publicID: String, in c: any DatabaseConnection) throws -> [String] {
        try c.query("""
            SELECT i.value FROM customer_identifiers i JOIN customers c ON c.id = i.customer_id
            WHERE c.public_id = ? AND i.kind = 'phone' ORDER BY i.value
            """, [.text(publicID)]).compactMap { $0.string("value") }
    }
}
