import GatewayKit

/// How a bulk upsert of contacts' field values is written, and how each format names a problem.
public enum ContactFieldImportFormat: String, Sendable {
    /// One JSON object a line, `{"contact_id", "fields": {"<key>": value | null}}` (``ContactFieldJSONLines``).
    case jsonLines = "json_lines"
    /// A header `contact_id,<field key>,…` then one contact a record (``ContactFieldCSV``).
    case csv

    /// From the request's `Content-Type`: `text/csv` is CSV, anything else is read as JSON lines.
    public init(contentType: String?) {
        self = MediaType.of(contentType) == "text/csv" ? .csv : .jsonLines
    }

    /// The name of a problem with `field` (`contact_id` or a field's key) on `line`: `line 3 (fields.tier)` in JSON
    /// lines, `line 3: tier` in CSV (the column).
    func name(line: Int, field: String) -> String {
        switch self {
        case .jsonLines: return field == "contact_id" ? "line \(line) (contact_id)" : "line \(line) (fields.\(field))"
        case .csv: return "line \(line): \(field)"
        }
    }
}

/// One contact's values as a file gives them, before they are checked against the fields' types; or why its line
/// could not be read.
struct ContactFieldImportLine: Sendable {
    /// 1-based line of the file the contact's record starts on.
    let line: Int
    let contactID: String
    /// By field key; a key left out leaves the value as it is, null clears it.
    let values: [String: JSONValue]
    /// Why the line could not be read (then there is no contact and no values).
    let problems: [FieldError]

    init(line: Int, contactID: String, values: [String: JSONValue]) {
        self.line = line
        self.contactID = contactID
        self.values = values
        problems = []
    }

    init(line: Int, unreadable problems: [FieldError]) {
        self.line = line
        contactID = ""
        values = [:]
        self.problems = problems
    }
}

/// Reads a JSON-lines bulk upsert: one `{"contact_id", "fields": {...}}` a line; blank lines are skipped.
enum ContactFieldJSONLines {
    /// - Throws: ``GatewayError/validation(_:)`` for a file of more than ``ContactFieldService/maxImportLines`` lines.
    static func read(_ bytes: [UInt8]) throws(GatewayError) -> [ContactFieldImportLine] {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count <= ContactFieldService.maxImportLines else {
            throw .validation([FieldError(field: "body", message: "at most \(ContactFieldService.maxImportLines) lines")])
        }
        return lines.enumerated().compactMap { index, line in
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) else { return nil }
            guard let object = (try? JSONParser.parse(Array(line)))?.objectValue,
                  let contact = object["contact_id"]?.stringValue, let values = object["fields"]?.objectValue,
                  Set(object.keys).isSubset(of: ["contact_id", "fields"]) else {
                return ContactFieldImportLine(line: index + 1, unreadable: [
                    FieldError(field: "line \(index + 1)", message: #"must be {"contact_id": "...", "fields": {...}}"#),
                ])
            }
            return ContactFieldImportLine(line: index + 1, contactID: contact, values: values)
        }
    }
}
