import Access
import Delivery
import Foundation
import GatewayKit
import Storage

/// Contact fields: definitions (the built-in ones and the organisation's own), one contact's values, and a bulk upsert
/// of many contacts' values (JSON lines `{"contact_id", "fields": {...}}`, all or nothing: one bad line refuses the
/// whole file, every bad line named). Every change is audited in its transaction (field keys only, never values).
public struct ContactFieldService: Sendable {
    public static let maxImportLines = 100_000

    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func definitions() throws -> [ContactFieldDefinition] {
        try database.read { try ContactFieldStore.all(in: $0) }
    }

    public func define(_ field: ContactFieldDefinition, by caller: Caller, now: Int64,
                       answer: @escaping Answer<ContactFieldDefinition>) {
        database.write({ c in
            try ContactFieldStore.insert(field, now: now, in: c)
            try AuditTrail.record(AuditEntry(action: "contact_field.created", subjectType: "contact_field",
                                             subjectID: field.key, detail: ["type": .string(field.type.rawValue)]),
                                  by: caller, at: now, in: c)
            return field
        }, answer: answer)
    }

    /// Sets (or, with null, clears) fields of contact `contactID`; answers the contact document.
    public func setValues(_ contactID: String, _ body: JSONValue, by caller: Caller, now: Int64,
                          answer: @escaping Answer<JSONValue>) {
        guard let object = body.objectValue, !object.isEmpty else {
            return answer(.failure(.validation([FieldError(field: "body", message: "must be an object of field values")])))
        }
        database.write({ c in
            guard let customer = try Self.customer(contactID, in: c) else { throw GatewayError.notFound("no contact \(contactID)") }
            let (changes, errors) = ContactFieldValues.read(object, fields: try ContactFieldStore.all(in: c),
                                                            naming: { $0 })
            guard errors.isEmpty else { throw GatewayError.validation(errors) }
            try ContactFieldStore.set(changes, of: customer, now: now, in: c)
            try c.run("UPDATE customers SET updated_at = ? WHERE id = ?", [.integer(now), .integer(customer)])
            try AuditTrail.record(AuditEntry(action: "contact.fields_updated", subjectType: "contact", subjectID: contactID,
                                             detail: ["fields": .array(changes.map { .string($0.key) })]),
                                  by: caller, at: now, in: c)
            return try ContactDirectory.contact(id: customer, in: c) ?? .null
        }, answer: answer)
    }

    /// The bulk upsert: `{"lines", "contacts"}` once every line is stored.
    public func importLines(_ bytes: [UInt8], by caller: Caller, now: Int64, answer: @escaping Answer<JSONValue>) {
        database.write({ c in
            let fields = try ContactFieldStore.all(in: c)
            var errors: [FieldError] = []
            var rows: [(customer: Int64, changes: [(key: String, values: [String]?, type: ContactFieldType)])] = []
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            guard lines.count <= Self.maxImportLines else {
                throw GatewayError.validation([FieldError(field: "body", message: "at most \(Self.maxImportLines) lines")])
            }
            for (index, line) in lines.enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                let name = "line \(index + 1)"
                guard errors.count < 100 else { break }
                guard let object = (try? JSONParser.parse(Array(line)))?.objectValue,
                      let contact = object["contact_id"]?.stringValue, let values = object["fields"]?.objectValue,
                      Set(object.keys).isSubset(of: ["contact_id", "fields"]) else {
                    errors.append(FieldError(field: name, message: #"must be {"contact_id": "...", "fields": {...}}"#))
                    continue
                }
                guard let customer = try Self.customer(contact, in: c) else {
                    errors.append(FieldError(field: "\(name) (contact_id)", message: "no contact \(contact)"))
                    continue
                }
                let (changes, problems) = ContactFieldValues.read(values, fields: fields,
                                                                  naming: { "\(name) (fields.\($0))" })
                errors += problems
                if problems.isEmpty { rows.append((customer, changes)) }
            }
            guard errors.isEmpty else { throw GatewayError.validation(errors) }
            for row in rows { try ContactFieldStore.set(row.changes, of: row.customer, now: now, in: c) }
            let customers = Set(rows.map(\.customer))
            try AuditTrail.record(AuditEntry(action: "contact_fields.imported", subjectType: "contact_field",
                                             subjectID: nil, detail: ["lines": .integer(Int64(rows.count)),
                                                                      "contacts": .integer(Int64(customers.count))]),
                                  by: caller, at: now, in: c)
            return ["lines": .integer(Int64(rows.count)), "contacts": .integer(Int64(customers.count))]
        }, answer: answer)
    }

    /// The live customer behind a contact id (a merged id finds its survivor).
    private static func customer(_ contactID: String, in c: any DatabaseConnection) throws -> Int64? {
        guard let row = try c.queryOne("SELECT id, merged_into, erased_at FROM customers WHERE public_id = ?",
                                       [.text(contactID)]), row.int64("erased_at") == nil else { return nil }
        return row.int64("merged_into") ?? row.int64("id")
    }
}
