import Crypto
import Delivery
import Storage

/// One row of `customer_bsuids`: a BSUID identity node.
struct BSUIDNode: Sendable, Equatable {
    let id: Int64
    let customerID: Int64
    let bsuid: String
    let parentBSUID: String?
    let username: String?
    let usernameAt: Int64
    let phone: String?
    let phoneAt: Int64
    let retired: Bool
    /// The BSUID that inherits this retired node's phone (user_changed_user_id).
    let phoneSuccessor: String?

    static let columns =
        "id, customer_id, bsuid, parent_bsuid, username, username_at, phone, phone_at, retired_at, phone_successor"

    init?(row: Row) {
        guard let id = row.int64("id"), let customerID = row.int64("customer_id"), let bsuid = row.string("bsuid")
        else { return nil }
        self.id = id
        self.customerID = customerID
        self.bsuid = bsuid
        parentBSUID = row.string("parent_bsuid")
        username = row.string("username")
        usernameAt = row.int64("username_at") ?? 0
        phone = row.string("phone")
        phoneAt = row.int64("phone_at") ?? 0
        retired = row.int64("retired_at") != nil
        phoneSuccessor = row.string("phone_successor")
    }
}

/// A customer row as read: its ids and the display name with the time it was given.
struct StoredCustomer: Sendable, Equatable {
    let id: Int64
    let publicID: String
    let name: String?
    let nameAt: Int64

    /// Whether ``CustomerTables/updateName(_:name:at:now:in:)`` would change the row: a name given at `at` replaces
    /// one given no later, when it differs.
    func nameChanges(to name: String, at: Int64) -> Bool { nameAt <= at && self.name != name }
}

/// The identity tables' SQL, one statement per function, always with bound parameters. Runs on the caller's
/// connection and transaction (a write unit of work for writes); no rules live here, only storage.
enum CustomerTables {
    // MARK: Lookups

    static func node(bsuid: String, in c: any DatabaseConnection) throws -> BSUIDNode? {
        try c.queryOne("SELECT \(BSUIDNode.columns) FROM customer_bsuids WHERE bsuid = ?", [.text(bsuid)])
            .flatMap(BSUIDNode.init(row:))
    }

    /// The node of `bsuid` with its customer, in one statement (what a known sender's message needs of both).
    /// The node of `bsuid` with its customer; when there is none, the customer owning `phone` (nil without one): a
    /// sender's claim in one statement, whether the BSUID is known (the owner is not looked up) or new.
    static func nodeWithCustomer(bsuid: String, orOwnerOf phone: String?, in c: any DatabaseConnection) throws
        -> (known: (node: BSUIDNode, customer: StoredCustomer)?, phoneOwner: Int64?) {
        let row = try c.queryOne("""
            SELECT b.id, b.customer_id, b.bsuid, b.parent_bsuid, b.username, b.username_at, b.phone, b.phone_at,
                   b.retired_at, b.phone_successor, k.public_id, k.display_name, k.name_at,
                   CASE WHEN k.id IS NULL THEN (SELECT customer_id FROM customer_identifiers
                                                WHERE kind = 'phone' AND value = ?) END AS phone_owner
            FROM (SELECT 1 AS claim) AS claim
            LEFT JOIN customer_bsuids b ON b.bsuid = ? LEFT JOIN customers k ON k.id = b.customer_id
            """, [SQLValue(phone), .text(bsuid)])
        guard let row, let node = BSUIDNode(row: row), let publicID = row.string("public_id") else {
            return (nil, row?.int64("phone_owner"))
        }
        return ((node, StoredCustomer(id: node.customerID, publicID: publicID, name: row.string("display_name"),
                                      nameAt: row.int64("name_at") ?? 0)), nil)
    }

    static func node(id: Int64, in c: any DatabaseConnection) throws -> BSUIDNode? {
        try c.queryOne("SELECT \(BSUIDNode.columns) FROM customer_bsuids WHERE id = ?", [.integer(id)])
            .flatMap(BSUIDNode.init(row:))
    }

    static func node(boundTo phone: String, in c: any DatabaseConnection) throws -> BSUIDNode? {
        try c.queryOne("SELECT \(BSUIDNode.columns) FROM customer_bsuids WHERE phone = ?", [.text(phone)])
            .flatMap(BSUIDNode.init(row:))
    }

    static func nodes(of customerID: Int64, in c: any DatabaseConnection) throws -> [BSUIDNode] {
        try c.query("SELECT \(BSUIDNode.columns) FROM customer_bsuids WHERE customer_id = ? ORDER BY id",
                    [.integer(customerID)]).compactMap(BSUIDNode.init(row:))
    }

    /// The customer owning a phone or email, if any.
    static func owner(of kind: IdentifierKind, _ value: String, in c: any DatabaseConnection) throws -> Int64? {
        try c.queryOne("SELECT customer_id FROM customer_identifiers WHERE kind = ? AND value = ?",
                       [.text(kind.rawValue), .text(value)])?.int64("customer_id")
    }

    static func identifiers(of customerID: Int64, in c: any DatabaseConnection) throws -> [(kind: String, value: String)] {
        try c.query("SELECT kind, value FROM customer_identifiers WHERE customer_id = ? ORDER BY id",
                    [.integer(customerID)]).compactMap { row in
            guard let kind = row.string("kind"), let value = row.string("value") else { return nil }
            return (kind, value)
        }
    }

    static func publicID(of customerID: Int64, in c: any DatabaseConnection) throws -> String {
        guard let id = try c.queryOne("SELECT public_id FROM customers WHERE id = ?", [.integer(customerID)])?
            .string("public_id") else { throw StoreConsistencyError(detail: "customer \(customerID) vanished") }
        return id
    }

    // MARK: Customers

    /// Inserts a customer with a fresh public id: `cus_`, 12 hex digits of milliseconds, 12 random hex digits.
    /// Time first keeps inserts at the end of the `public_id` index instead of all over it (with a million customers
    /// that is the difference between cached and uncached index pages); the random part keeps ids unguessable.
    static func insertCustomer(name: String?, nameAt: Int64, now: Int64, in c: any DatabaseConnection) throws
        -> (id: Int64, publicID: String) {
        let time = String(UInt64(max(now, 0)), radix: 16)
        let publicID = "cus_" + String(repeating: "0", count: max(0, 12 - time.count)) + time
            + Hex.encode(SecureRandom.bytes(6))
        try c.run("""
            INSERT INTO customers (public_id, display_name, name_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
            """, [.text(publicID), SQLValue(name), .integer(name == nil ? 0 : nameAt), .integer(now), .integer(now)])
        return (c.lastInsertRowID, publicID)
    }

    /// Sets the display name when `at` is newer than the one stored (latest wins); true when it changed.
    static func updateName(_ customerID: Int64, name: String, at: Int64, now: Int64, in c: any DatabaseConnection) throws
        -> Bool {
        try c.run("""
            UPDATE customers SET display_name = ?, name_at = ?, updated_at = ?
            WHERE id = ? AND name_at <= ? AND display_name IS DISTINCT FROM ?
            """, [.text(name), .integer(at), .integer(now), .integer(customerID), .integer(at), .text(name)])
        return c.changes == 1
    }

    static func touch(_ customerID: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE customers SET updated_at = ? WHERE id = ?", [.integer(now), .integer(customerID)])
    }

    // MARK: Identifiers

    static func insertIdentifier(_ kind: IdentifierKind, _ value: String, customerID: Int64, now: Int64,
                                 in c: any DatabaseConnection) throws {
        try c.run("INSERT INTO customer_identifiers (customer_id, kind, value, created_at) VALUES (?, ?, ?, ?)",
                  [.integer(customerID), .text(kind.rawValue), .text(value), .integer(now)])
    }

    static func deleteIdentifier(_ kind: IdentifierKind, _ value: String, customerID: Int64,
                                 in c: any DatabaseConnection) throws {
        try c.run("DELETE FROM customer_identifiers WHERE customer_id = ? AND kind = ? AND value = ?",
                  [.integer(customerID), .text(kind.rawValue), .text(value)])
    }

    // MARK: BSUID nodes

    /// A new node; `phone` (already an identifier of the customer) is bound at once when given.
    static func insertNode(customerID: Int64, bsuid: String, parent: String?, username: String?, phone: String? = nil,
                           at: Int64, retired: Bool, now: Int64, in c: any DatabaseConnection) throws -> Int64 {
        try c.run("""
            INSERT INTO customer_bsuids (customer_id, bsuid, parent_bsuid, username, username_at, phone, phone_at,
                                         retired_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(customerID), .text(bsuid), SQLValue(parent), SQLValue(username),
                  .integer(username == nil ? 0 : at), SQLValue(phone), .integer(phone == nil ? 0 : at),
                  retired ? .integer(at) : .null, .integer(now), .integer(now)])
        return c.lastInsertRowID
    }

    static func setPhone(_ nodeID: Int64, phone: String?, at: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE customer_bsuids SET phone = ?, phone_at = ?, updated_at = ? WHERE id = ?",
                  [SQLValue(phone), .integer(at), .integer(now), .integer(nodeID)])
    }

    static func setPhoneTime(_ nodeID: Int64, at: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE customer_bsuids SET phone_at = CASE WHEN phone_at > ? THEN phone_at ELSE ? END WHERE id = ?",
                  [.integer(at), .integer(at), .integer(nodeID)])
    }

    static func setUsername(_ nodeID: Int64, username: String, at: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE customer_bsuids SET username = ?, username_at = ?, updated_at = ? WHERE id = ?",
                  [.text(username), .integer(at), .integer(now), .integer(nodeID)])
    }

    static func setParent(_ nodeID: Int64, parent: String, in c: any DatabaseConnection) throws {
        try c.run("UPDATE customer_bsuids SET parent_bsuid = ? WHERE id = ?", [.text(parent), .integer(nodeID)])
    }

    /// Marks a node replaced by a change notice; it releases its phone (the CHECK forbids a retired node holding one).
    static func retire(_ nodeID: Int64, at: Int64, phoneSuccessor: String?, now: Int64,
                       in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE customer_bsuids SET phone = NULL, retired_at = ?, phone_successor = ?, updated_at = ? WHERE id = ?
            """, [.integer(at), SQLValue(phoneSuccessor), .integer(now), .integer(nodeID)])
    }

    static func deleteNode(_ nodeID: Int64, in c: any DatabaseConnection) throws {
        try c.run("DELETE FROM customer_bsuids WHERE id = ?", [.integer(nodeID)])
    }
}

/// The kinds of identifier stored in `customer_identifiers`.
enum IdentifierKind: String, Sendable {
    case phone, email
}
