import GatewayKit
import Retail
/// Reads a POS CSV export: a header naming the ``OutletField`` columns (any order, case-insensitive; `fid`, `oid`,
/// `name`, `expiry_date`, `status` required; unknown columns refused), then one outlet per record. Phones in one
/// cell are separated by `;`. Problems name the line and column: `line 7, column 5 (expiry_date): must be a date …`.
public struct OutletCSVReader: OutletRowReader {
    let rules: OutletFieldRules

    public init(rules: OutletFieldRules) {
        self.rules = rules
    }

    public func read(_ bytes: [UInt8]) throws(POSImportError) -> [POSRow] {
        let records: [CSVRecords.Record]
        do {
            records = try CSVRecords.parse(bytes)
        } catch {
            throw POSImportError(at: "line \(error.line)", error.message)
        }
        guard let header = records.first else { throw POSImportError(at: "line 1", "the file is empty: no header") }
        let columns = try Self.columns(header)
        var rows: [POSRow] = []
        rows.reserveCapacity(records.count - 1)
        var problems: [FieldError] = []
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                problems.append(FieldError(field: "line \(record.line)", message:
                    "has \(record.fields.count) fields, the header has \(columns.count)"))
                if problems.count >= POSImportError.maxProblems { break } else { continue }
            }
            var input = OutletInput(oid: "")
            for (index, field) in columns.enumerated() {
                do {
                    try rules.set(field, record.fields[index], on: &input)
                } catch {
                    problems.append(FieldError(field: "line \(record.line), column \(index + 1) (\(field.rawValue))",
                                               message: error.message))
                }
            }
            rows.append(POSRow(location: "line \(record.line)", input: input))
            if problems.count >= POSImportError.maxProblems { break }
        }
        guard problems.isEmpty else { throw POSImportError(Array(problems.prefix(POSImportError.maxProblems))) }
        return rows
    }

    /// The header's fields in column order; every problem with the header at once, up to
    /// ``POSImportError/maxProblems`` (a header of a million empty columns is one line of commas).
    private static func columns(_ header: CSVRecords.Record) throws(POSImportError) -> [OutletField] {
        var columns: [OutletField] = []
        var problems: [FieldError] = []
        for (index, text) in header.fields.enumerated() where problems.count < POSImportError.maxProblems {
            let name = text.trimmingSpaces.lowercased()
            let location = "line \(header.line), column \(index + 1)"
            guard let field = OutletField(rawValue: name) else {
                problems.append(FieldError(field: location, message: "unknown column '\(name.prefix(40))'; the "
                                           + "columns are \(OutletField.allCases.map(\.rawValue).joined(separator: ", "))"))
                continue
            }
            if columns.contains(field) {
                problems.append(FieldError(field: location, message: "column '\(name)' appears twice"))
            }
            columns.append(field)
        }
        for field in OutletField.allCases where field.isRequired && !columns.contains(field) {
            problems.append(FieldError(field: "line \(header.line)", message: "missing column '\(field.rawValue)'"))
        }
        guard problems.isEmpty else { throw POSImportError(Array(problems.prefix(POSImportError.maxProblems))) }
        return columns
    }
}
