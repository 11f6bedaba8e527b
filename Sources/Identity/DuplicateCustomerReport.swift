import Storage

/// The duplicate-customer check behind `gateway identity duplicates` (the duplicate-customer rate is what multi-BSUID identity exists to lower): live customers that
/// share a phone or email once values are normalized the way resolution normalizes them. The store's UNIQUE
/// constraints keep exact repeats out, so anything found here came from differently written values (legacy imports,
/// direct SQL) and needs a look.
public struct DuplicateCustomerReport: Sendable, Equatable {
    /// One shared identifier and the contacts holding it.
    public struct Group: Sendable, Equatable {
        public let kind: String
        public let value: String
        public let contactIDs: [String]
    }

    public let liveCustomers: Int
    public let groups: [Group]

    /// Customers involved in at least one group, over all live customers.
    public var duplicateRate: Double {
        guard liveCustomers > 0 else { return 0 }
        return Double(Set(groups.flatMap(\.contactIDs)).count) / Double(liveCustomers)
    }

    /// Scans every identifier once (reads only; any connection).
    public static func scan(in c: any DatabaseConnection) throws -> DuplicateCustomerReport {
        let live = try c.queryOne("SELECT count(*) AS n FROM customers WHERE merged_into IS NULL")?.int("n") ?? 0
        var holders: [String: Set<String>] = [:]
        let rows = try c.query("""
            SELECT i.kind, i.value, coalesce(m.public_id, c.public_id) AS contact_id
            FROM customer_identifiers i JOIN customers c ON c.id = i.customer_id
            LEFT JOIN customers m ON m.id = c.merged_into
            """)
        for row in rows {
            guard let kind = row.string("kind"), let value = row.string("value"),
                  let contact = row.string("contact_id") else { continue }
            let normalized = kind == "phone" ? IdentifierFormat.phone(value) ?? value
                                             : IdentifierFormat.email(value) ?? value.lowercased()
            holders["\(kind):\(normalized)", default: []].insert(contact)
        }
        let groups = holders.filter { $0.value.count > 1 }.map { key, contacts in
            let parts = key.split(separator: ":", maxSplits: 1)
            return Group(kind: String(parts[0]), value: String(parts[1]), contactIDs: contacts.sorted())
        }.sorted { ($0.kind, $0.value) < ($1.kind, $1.value) }
        return DuplicateCustomerReport(liveCustomers: live, groups: groups)
    }
}
