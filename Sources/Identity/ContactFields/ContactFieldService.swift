import Access
import Delivery
import Foundation
import GatewayKit
import Storage

/// Contact fields: definitions (the built-in ones and the organisation's own), one contact's values, and a bulk upsert
/// of many contacts' values (JSON lines `{"contact_id", "fields": {...}}` or CSV, all or nothing: one bad line refuses
/// the whole file, every bad line named). Every change is audited in its transaction (field keys only, never values).
public struct ContactFieldService: Sendable {
    public static let maxImportLines = 100_000
    /// The most problems a refused import names.
    public static let maxImportProblems = 100

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
            let (customer, keys) = try Self.setValues(object, ofContact: contactID, now: now, in: c)
            try AuditTrail.record(AuditEntry(action: "contact.fields_updated", subjectType: "contact", subjectID: contactID,
                                             detail: ["fields": .array(keys.map(JSONValue.string))]),
                                  by: caller, at: now, in: c)
            return try ContactDirectory.contact(id: customer, in: c) ?? .null
        }, answer: answer)
    }

    /// Sets (null clears) fields of contact `contactID` in the caller's transaction, each value checked against its
    /// field (400 naming the key); 404 for an unknown contact. Answers the customer row id and the keys set.
    /// - Parameters:
    ///   - contactIsNew: the contact was created in this transaction, at `now`: it holds no values to replace yet and
    ///     its row says it was updated now already.
    ///   - customerID: the contact's row id when the caller knows it (a contact neither merged nor erased), so it is
    ///     not looked up.
    public static func setValues(_ object: [String: JSONValue], ofContact contactID: String, now: Int64,
                                 contactIsNew: Bool = false, customerID: Int64? = nil,
                                 in c: any DatabaseConnection) throws -> (customer: Int64, keys: [String]) {
        guard let customer = try customerID ?? customer(contactID, in: c) else {
            throw GatewayError.notFound("no contact \(contactID)")
        }
        let fields = try ContactFieldStore.definitions(of: Array(object.keys), in: c)
        let (changes, errors) = ContactFieldValues.read(object, fields: fields, naming: { $0 })
        guard errors.isEmpty else { throw GatewayError.validation(errors) }
        try ContactFieldStore.set(changes, of: customer, now: now, replacing: !contactIsNew, in: c)
        if !contactIsNew {
            try c.run("UPDATE customers SET updated_at = ? WHERE id = ?", [.integer(now), .integer(customer)])
        }
        return (customer, changes.map(\.key))
    }

    /// The bulk upsert, in `format`: `{"lines", "contacts"}` once every line is stored; nothing is stored when any
    /// line is refused, and every refused line is named (up to ``maxImportProblems`` problems).
    public func importValues(_ bytes: [UInt8], format: ContactFieldImportFormat, by caller: Caller, now: Int64,
                             answer: @escaping Answer<JSONValue>) {
        // The file's syntax is read here, before the writer; what its values mean needs the fields, read in the
        // transaction that stores them.
        let read: @Sendable ([ContactFieldDefinition]) throws(GatewayError) -> [ContactFieldImportLine]
        do {
            switch format {
            case .jsonLines:
                let lines = try ContactFieldJSONLines.read(bytes)
                read = { _ throws(GatewayError) in lines }
            case .csv:
                let records = try Self.csvRecords(bytes)
                read = { fields throws(GatewayError) in try ContactFieldCSV.read(records, fields: fields) }
            }
        } catch {
            return answer(.failure(error))
        }
        database.write({ c in
            let fields = try ContactFieldStore.all(in: c)
            var errors: [FieldError] = []
            var rows: [(customer: Int64, changes: [(key: String, values: [String]?, type: ContactFieldType)])] = []
            for line in try read(fields) where errors.count < Self.maxImportProblems {
                guard line.problems.isEmpty else {
                    errors += line.problems
                    continue
                }
                guard let customer = try Self.customer(line.contactID, in: c) else {
                    errors.append(FieldError(field: format.name(line: line.line, field: "contact_id"),
                                             message: "no contact \(line.contactID)"))
                    continue
                }
                let (changes, problems) = ContactFieldValues.read(line.values, fields: fields,
                                                                  naming: { format.name(line: line.line, field: $0) })
                errors += problems
                if problems.isEmpty { rows.append((customer, changes)) }
            }
            guard errors.isEmpty else { throw GatewayError.validation(Array(errors.prefix(Self.maxImportProblems))) }
            for row in rows { try ContactFieldStore.set(row.changes, of: row.customer, now: now, in: c) }
            let customers = Set(rows.map(\.customer))
            try AuditTrail.record(AuditEntry(action: "contact_fields.imported", subjectType: "contact_field",
                                             subjectID: nil, detail: ["format": .string(format.rawValue),
                                                                      "lines": .integer(Int64(rows.count)),
                                                                      "contacts": .integer(Int64(customers.count))]),
                                  by: caller, at: now, in: c)
            return ["lines": .integer(Int64(rows.count)), "contacts": .integer(Int64(customers.count))]
        }, answer: answer)
    }

    /// The records of a CSV file; a file that is not CSV is refused naming the line.
    private static func csvRecords(_ bytes: [UInt8]) throws(GatewayError) -> [CSVRecords.Record] {
        do {
            return try CSVRecords.parse(bytes)
        } catch {
            throw .validation([FieldError(field: "line \(error.line)", message: error.message)])
        }
    }

    /// The live customer behind a contact id (a merged id finds its survivor).
    private static func customer(_ contactID: String, in c: any DatabaseConnection) throws -> Int64? {
        guard let row = try c.queryOne("SELECT id, merged_into, erased_at FROM customers WHERE public_id = ?",
                                       [.text(contactID)]), row.int64("erased_at") == nil else { return nil }
        return row.int64("merged_into") ?? row.int64("id")
    }
}
