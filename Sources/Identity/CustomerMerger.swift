import GatewayKit
import Storage

/// Folds customers that a new fact proved to be one person (a number-change notice naming both, or WhatsApp binding a
/// phone held by one customer to a BSUID of another) into one survivor. Identity is anchored on the BSUID (lookup
/// priority BSUID → phone), so the survivor is the customer of the BSUID the fact is about — a known BSUID keeps its
/// customer id — and only when no BSUID decides, the oldest. The others keep their row as a tombstone
/// (`merged_into`), so ids given out earlier still resolve, to the survivor; both sides get a `customer.merged` audit
/// row.
enum CustomerMerger {
    /// Merges `customers` (duplicates allowed) into `keeping` when it is one of them, else into the oldest, and
    /// returns the survivor's id.
    static func merge(_ customers: [Int64], keeping: Int64? = nil, in changes: IdentityChangeSet) throws -> Int64? {
        let distinct = Set(customers)
        guard let survivor = keeping.flatMap({ distinct.contains($0) ? $0 : nil }) ?? distinct.min() else {
            return nil
        }
        for other in distinct.sorted() where other != survivor {
            try fold(other, into: survivor, in: changes)
        }
        return survivor
    }

    private static func fold(_ loser: Int64, into survivor: Int64, in changes: IdentityChangeSet) throws {
        let c = changes.connection
        let now = changes.now
        // The composite foreign key ties a bound phone to its owner: unbind, move both sides, then bind again.
        let bound = try CustomerTables.nodes(of: loser, in: c).filter { $0.phone != nil }
        for node in bound { try CustomerTables.setPhone(node.id, phone: nil, at: node.phoneAt, now: now, in: c) }
        try c.run("UPDATE customer_identifiers SET customer_id = ? WHERE customer_id = ?",
                  [.integer(survivor), .integer(loser)])
        try c.run("UPDATE customer_bsuids SET customer_id = ?, updated_at = ? WHERE customer_id = ?",
                  [.integer(survivor), .integer(now), .integer(loser)])
        for node in bound { try CustomerTables.setPhone(node.id, phone: node.phone, at: node.phoneAt, now: now, in: c) }
        try CustomerConsents.fold(loser, into: survivor, in: c)
        try CustomerAcquisitions.fold(loser, into: survivor, in: c)
        // The survivor takes the newer display name; tombstones point straight at the survivor (no chains).
        try c.run("""
            UPDATE customers SET display_name = l.display_name, name_at = l.name_at
            FROM (SELECT display_name, name_at FROM customers WHERE id = ?) AS l
            WHERE customers.id = ? AND l.display_name IS NOT NULL AND l.name_at > customers.name_at
            """, [.integer(loser), .integer(survivor)])
        try c.run("UPDATE customers SET merged_into = ?, updated_at = ? WHERE id = ? OR merged_into = ?",
                  [.integer(survivor), .integer(now), .integer(loser), .integer(loser)])
        try CustomerTables.touch(survivor, now: now, in: c)
        let loserID = try CustomerTables.publicID(of: loser, in: c)
        let survivorID = try CustomerTables.publicID(of: survivor, in: c)
        try changes.audit(survivor, "customer.merged", subject: loserID, before: .string(loserID),
                          after: .string(survivorID))
        try changes.audit(loser, "customer.merged", subject: loserID, before: .string(loserID),
                          after: .string(survivorID))
        changes.counters.customersMerged += 1
    }
}
