import GatewayKit
import Storage

/// A contact field of the organisation's own: `{"key", "label", "type", "options"?}`.
public struct ContactFieldDefinition: Sendable, Equatable {
    public let key: String
    public let label: String
    public let type: ContactFieldType
    public let options: [String]

    public var json: JSONValue {
        var object: [String: JSONValue] = ["key": .string(key), "label": .string(label), "type": .string(type.rawValue)]
        if type.hasOptions { object["options"] = .array(options.map(JSONValue.string)) }
        return .object(object)
    }
}

/// The `contact_fields` and `contact_field_values` tables.
enum ContactFieldStore {
    static func all(in c: any DatabaseConnection) throws -> [ContactFieldDefinition] {
        try c.query("SELECT key, label, type, options FROM contact_fields ORDER BY key").compactMap(definition)
    }

    static func insert(_ field: ContactFieldDefinition, now: Int64, in c: any DatabaseConnection) throws {
        if try c.queryOne("SELECT 1 AS x FROM contact_fields WHERE key = ?", [.text(field.key)]) != nil {
            throw GatewayError.conflict("a contact field with key \(field.key) already exists")
        }
        try c.run("INSERT INTO contact_fields (key, label, type, options, created_at) VALUES (?, ?, ?, ?, ?)",
                  [.text(field.key), .text(field.label), .text(field.type.rawValue),
                   field.type.hasOptions ? .text(JSONWriter.string(.array(field.options.map(JSONValue.string)))) : .null,
                   .integer(now)])
    }

    /// Replaces the values of the fields in `changes` (nil clears one) for `customerID`.
    static func set(_ changes: [(key: String, values: [String]?, type: ContactFieldType)], of customerID: Int64,
                    now: Int64, in c: any DatabaseConnection) throws {
        for change in changes {
            try c.run("DELETE FROM contact_field_values WHERE customer_id = ? AND field_key = ?",
                      [.integer(customerID), .text(change.key)])
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
        return ContactFieldDefinition(key: key, label: row.string("label") ?? key, type: type, options: options)
    }
}
