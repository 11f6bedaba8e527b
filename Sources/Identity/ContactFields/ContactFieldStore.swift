import GatewayKit
import Storage

/// The `contact_fields` and `contact_field_values` tables.
enum ContactFieldStore {
    /// Every field, the built-in ones first, each group by key.
    static func all(in c: any DatabaseConnection) throws -> [ContactFieldDefinition] {
        try c.query("""
            SELECT key, label, type, options, built_in, minimum, maximum FROM contact_fields ORDER BY built_in DESC, key
            """).compactMap(definition)
    }

    /// The definitions of the fields named `keys`, those that exist (a write of a few fields reads only theirs, not
    /// every field with its options decoded).
    static func definitions(of keys: [String], in c: any DatabaseConnection) throws -> [ContactFieldDefinition] {
        try keys.compactMap { key in
            try c.queryOne("""
                SELECT key, label, type, options, built_in, minimum, maximum FROM contact_fields WHERE key = ?
                """, [.text(key)]).flatMap(definition)
        }
    }

    /// A new field of the organisation's own; 409 when the key is taken (a built-in field's key names that).
    static func insert(_ field: ContactFieldDefinition, now: Int64, in c: any DatabaseConnection) throws {
        if let taken = try c.queryOne("SELECT built_in FROM contact_fields WHERE key = ?", [.text(field.key)]) {
            throw GatewayError.conflict(taken.int64("built_in") == 1
                ? "\(field.key) is a built-in contact field and cannot be redefined; set its values instead"
                : "a contact field with key \(field.key) already exists")
        }
        try c.run("INSERT INTO contact_fields (key, label, type, options, created_at) VALUES (?, ?, ?, ?, ?)",
                  [.text(field.key), .text(field.label), .text(field.type.rawValue),
                   field.type.hasOptions ? .text(JSONWriter.string(.array(field.options.map(JSONValue.string)))) : .null,
                   .integer(now)])
    }

    /// Replaces the values of the fields in `changes` (nil clears one) for `customerID`; without `replacing`, only
    /// adds them (a customer that has none yet).
    static func set(_ changes: [(key: String, values: [String]?, type: ContactFieldType)], of customerID: Int64,
                    now: Int64, replacing: Bool = true, in c: any DatabaseConnection) throws {
        for change in changes {
            if replacing {
                try c.run("DELETE FROM contact_field_values WHERE customer_id = ? AND field_key = ?",
                          [.integer(customerID), .text(change.key)])
            }
            for value in change.values ?? [] {
                let number: SQLValue = change.type == .number ? (Double(value).map(SQLValue.real) ?? .null) : .null
                try c.run("""
                    INSERT INTO contact_field_values (customer_id, field_key, value, number, updated_at)
                    VALUES (?, ?, ?, ?, ?)
                    """, [.integer(customerID), .text(change.key), .text(value), number, .integer(now)])
            }
        }
    }

    /// `{"<key>": value}` of a customer (an array for a multiple selection, a number for a number).
    static func values(of customerID: Int64, in c: any DatabaseConnection) throws -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for row in try c.query("""
            SELECT v.field_key, v.value, v.number, f.type FROM contact_field_values v
            JOIN contact_fields f ON f.key = v.field_key WHERE v.customer_id = ? ORDER BY v.field_key, v.value
            """, [.integer(customerID)]) {
            guard let key = row.string("field_key"), let value = row.string("value") else { continue }
            let shown: JSONValue = row.double("number").map(JSONValue.number) ?? .string(value)
            if row.string("type") == ContactFieldType.multiSelect.rawValue {
                fields[key] = .array((fields[key]?.arrayValue ?? []) + [shown])
            } else {
                fields[key] = shown
            }
        }
        return .object(fields)
    }

    private static func definition(_ row: Row) -> ContactFieldDefinition? {
        guard let key = row.string("key"), let type = row.string("type").flatMap(ContactFieldType.init) else { return nil }
        let options = row.string("options").flatMap { try? JSONParser.parse(Array($0.utf8)) }?.arrayValue?
            .compactMap(\.stringValue) ?? []
        return ContactFieldDefinition(key: key, label: row.string("label") ?? key, type: type, options: options,
                                      builtIn: row.int64("built_in") == 1, minimum: row.double("minimum"),
                                      maximum: row.double("maximum"))
    }
}
