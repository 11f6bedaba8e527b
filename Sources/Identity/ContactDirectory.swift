import GatewayKit
import Storage

/// Reads customers as contact API documents (works on any connection, read-only ones included):
///
/// `{"id", "name", "bsuids": [{"bsuid", "parent_bsuid"?, "username" ("@name")?, "phone" ("+digits")?,
///   "status": "active"|"retired"}], "phones": [{"phone", "linked_bsuid"?, "editable"}], "emails": [...],
///   "consents": {"marketing_messages": {"status": "granted"|"withdrawn", "source", "detail"?, "changed_at"}},
///   "acquisition": {"channel", "source_type"?, "source_id"?, "source_url"?, "headline"?, "click_id"?, "message_id",
///   "acquired_at"} | null,
///   "created_at", "updated_at"}` (times in unix milliseconds, except a consent's `changed_at`: the customer's own
/// time in unix seconds, as is `acquired_at`). A phone is `editable: false` while bound to a BSUID; a category the
/// customer never chose on is absent from `consents`; `acquisition` is the ad or post the customer first came from.
public enum ContactDirectory {
    /// Ways to look a contact up (`GET /v1/contacts?phone=…|bsuid=…|email=…`).
    public enum Key: String, Sendable, CaseIterable {
        case phone, bsuid, email
    }

    /// The contact with public id `publicID`; an id merged into another resolves to the survivor.
    public static func contact(publicID: String, in c: any DatabaseConnection) throws -> JSONValue? {
        guard let row = try c.queryOne("SELECT id, merged_into FROM customers WHERE public_id = ?",
                                       [.text(publicID)]),
              let id = row.int64("id") else { return nil }
        return try contact(id: row.int64("merged_into") ?? id, in: c)
    }

    /// The contact owning an identifier given in canonical form (see ``IdentifierFormat``).
    public static func contact(by key: Key, _ value: String, in c: any DatabaseConnection) throws -> JSONValue? {
        let customerID: Int64?
        switch key {
        case .bsuid: customerID = try CustomerTables.node(bsuid: value, in: c)?.customerID
        case .phone: customerID = try CustomerTables.owner(of: .phone, value, in: c)
        case .email: customerID = try CustomerTables.owner(of: .email, value, in: c)
        }
        return try customerID.flatMap { try contact(id: $0, in: c) }
    }

    static func contact(id: Int64, in c: any DatabaseConnection) throws -> JSONValue? {
        guard let row = try c.queryOne(
            "SELECT public_id, display_name, created_at, updated_at FROM customers WHERE id = ?", [.integer(id)]),
              let publicID = row.string("public_id") else { return nil }
        let nodes = try CustomerTables.nodes(of: id, in: c)
        let boundBy = Dictionary(nodes.compactMap { n in n.phone.map { ($0, n.bsuid) } }, uniquingKeysWith: { a, _ in a })
        var phones: [JSONValue] = []
        var emails: [JSONValue] = []
        for identifier in try CustomerTables.identifiers(of: id, in: c) {
            if identifier.kind == "email" { emails.append(.string(identifier.value)); continue }
            var phone: [String: JSONValue] = ["phone": .string("+" + identifier.value)]
            phone.put("linked_bsuid", boundBy[identifier.value])
            phone["editable"] = .bool(boundBy[identifier.value] == nil)
            phones.append(.object(phone))
        }
        return .object([
            "id": .string(publicID),
            "name": row.string("display_name").map(JSONValue.string) ?? .null,
            "bsuids": .array(nodes.map(json)),
            "phones": .array(phones),
            "emails": .array(emails),
            "consents": try CustomerConsents.json(of: id, in: c),
            "acquisition": try CustomerAcquisitions.json(of: id, in: c),
            "fields": try ContactFieldStore.values(of: id, in: c),
            "created_at": .integer(row.int64("created_at") ?? 0),
            "updated_at": .integer(row.int64("updated_at") ?? 0),
        ])
    }

    private static func json(_ node: BSUIDNode) -> JSONValue {
        var o: [String: JSONValue] = ["bsuid": .string(node.bsuid), "status": .string(node.retired ? "retired" : "active")]
        o.put("parent_bsuid", node.parentBSUID)
        o.put("username", node.username.map { "@" + $0 })
        o.put("phone", node.phone.map { "+" + $0 })
        return .object(o)
    }
}
