import GatewayKit

/// Reads a CSV bulk upsert of contacts' field values (records from ``CSVRecords``: RFC 4180, UTF-8 with or without a
/// byte-order mark): a header naming `contact_id` and the fields to set by key (any order, case-insensitive), then
/// one contact a record. Each cell is read as its column's field type asks — numbers as numbers, a multiple
/// selection's options separated by `;` — and checked by that type later, like any value; an empty cell leaves the
/// value as it is. Problems are named by line and column: `line 3: sex`.
enum ContactFieldCSV {
    private enum Column {
        case contactID
        case field(ContactFieldDefinition)
    }

    /// - Throws: ``GatewayError/validation(_:)`` for a file without a header, a header naming unknown, repeated or
    ///   empty columns or no `contact_id`, or more than ``ContactFieldService/maxImportLines`` records.
    static func read(_ records: [CSVRecords.Record],
                     fields: [ContactFieldDefinition]) throws(GatewayError) -> [ContactFieldImportLine] {
        guard let header = records.first else {
            throw .validation([FieldError(field: "line 1", message: "must be a header: contact_id,<field key>,…")])
        }
        guard records.count - 1 <= ContactFieldService.maxImportLines else {
            throw .validation([FieldError(field: "body", message: "at most \(ContactFieldService.maxImportLines) lines")])
        }
        let columns = try columns(header, fields: fields)
        return records.dropFirst().map { record in
            guard record.fields.count == columns.count else {
                return ContactFieldImportLine(line: record.line, unreadable: [FieldError(
                    field: "line \(record.line)",
                    message: "has \(record.fields.count) cells, the header has \(columns.count)")])
            }
            var contactID = ""
            var values: [String: JSONValue] = [:]
            for (column, cell) in zip(columns, record.fields) {
                switch column {
                case .contactID: contactID = cell.trimmingSpaces
                case .field(let field): values[field.key] = value(of: cell, for: field.type)
                }
            }
            guard !contactID.isEmpty else {
                return ContactFieldImportLine(line: record.line, unreadable: [FieldError(
                    field: ContactFieldImportFormat.csv.name(line: record.line, field: "contact_id"), message: "is required")])
            }
            return ContactFieldImportLine(line: record.line, contactID: contactID, values: values)
        }
    }

    /// The header's columns in order; every problem with it at once.
    private static func columns(_ header: CSVRecords.Record,
                                fields: [ContactFieldDefinition]) throws(GatewayError) -> [Column] {
        let byKey = Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0) })
        var columns: [Column] = []
        var seen: Set<String> = []
        var problems: [FieldError] = []
        for (index, text) in header.fields.enumerated() where problems.count < ContactFieldService.maxImportProblems {
            let name = text.trimmingSpaces.lowercased()
            let column = name.isEmpty ? "column \(index + 1)" : String(name.prefix(60))
            let location = ContactFieldImportFormat.csv.name(line: header.line, field: column)
            if name.isEmpty {
                problems.append(FieldError(field: location, message: "has no name; name a contact field"))
            } else if !seen.insert(name).inserted {
                problems.append(FieldError(field: location, message: "appears twice"))
            } else if name == "contact_id" {
                columns.append(.contactID)
            } else if let field = byKey[name] {
                columns.append(.field(field))
            } else {
                problems.append(FieldError(field: location, message: "is not a contact field (GET /v1/contact-fields)"))
            }
        }
        if problems.isEmpty, !seen.contains("contact_id") {
            problems.append(FieldError(field: "line \(header.line)", message: "must name a contact_id column"))
        }
        guard problems.isEmpty else { throw .validation(problems) }
        return columns
    }

    /// The value `cell` stands for in a field of `type`, nil for an empty cell (the value stays as it is). A cell
    /// that does not read as its type is passed on as its text, for the type's check to say why.
    static func value(of cell: String, for type: ContactFieldType) -> JSONValue? {
        let text = type == .multiLineText ? cell : cell.trimmingSpaces
        guard !text.trimmingSpaces.isEmpty else { return nil }
        switch type {
        case .number:
            let decimal = text.utf8.allSatisfy { (0x30...0x39).contains($0) || "+-.eE".utf8.contains($0) }
            return decimal ? Double(text).map(JSONValue.number) ?? .string(text) : .string(text)
        case .multiSelect:
            return .array(text.split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
                .map(JSONValue.string))
        default:
            return .string(text)
        }
    }
}
