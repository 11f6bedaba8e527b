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
        guard let customer = try c.queryOne("""
            SELECT coalesce(m.id, c.id) AS id, coalesce(m.display_name, c.display_name) AS name
            FROM customers c LEFT JOIN customers m ON m.id = c.merged_into WHERE c.public_id = ?
            """, [.text(publicID)]), let id = customer.int64("id") else { return nil }
        let name = customer.string("name")
        if let phone = try c.queryOne("""
            SELECT value FROM customer_identifiers WHERE customer_id = ? AND kind = 'phone' ORDER BY id DESC LIMIT 1
            """, [.integer(id)])?.string("value") {
            return Reachable(name: name, phone: phone, bsuid: nil)
        }
        let bsuid = try c.queryOne("""
            SELECT bsuid FROM customer_bsuids WHERE customer_id = ? AND retired_at IS NULL ORDER BY id DESC LIMIT 1
            """, [.integer(id)])?.string("bsuid")
        return Reachable(name: name, phone: nil, bsuid: bsuid)
    }

    /// Every phone of the contact `publicID` itself (international digits, sorted); empty for an unknown contact.
    public static func phones(of publicID: String, in c: any DatabaseConnection) throws -> [String] {
        try c.query("""
            SELECT i.value FROM customer_identifiers i JOIN customers c ON c.id = i.customer_id
            WHERE c.public_id = ? AND i.kind = 'phone' ORDER BY i.value
            """, [.text(publicID)]).compactMap { $0.string("value") }
    }
}
