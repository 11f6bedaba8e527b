import GatewayKit
import Retail
/// Reads outlets written as JSON objects whose keys are the ``OutletField`` names: the elements of an import or pull
/// document `{"outlets": [{...}, ...]}`, and the body of a push. `fid`/`oid` may be strings or integers, `phones`
/// an array of strings, the rest strings; `null` is the same as leaving the key out; unknown keys are refused.
/// Problems name the JSON path (`outlets[3].expiry_date`, `phones[1]`).
public struct OutletJSONReader: OutletRowReader {
    let rules: OutletFieldRules

    public init(rules: OutletFieldRules) {
        self.rules = rules
    }

    /// An import document: every problem of every element (up to ``POSImportError/maxProblems``), else the rows.
    public func read(_ bytes: [UInt8]) throws(POSImportError) -> [POSRow] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            let line = bytes.prefix(error.offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw POSImportError(at: "line \(line)", "is not valid JSON: \(error)")
        }
        guard let elements = document["outlets"]?.arrayValue, document.objectValue?.count == 1 else {
            throw POSImportError(at: "document", "must be an object with one key, \"outlets\", holding an array")
        }
        var rows: [POSRow] = []
        rows.reserveCapacity(elements.count)
        var problems: [FieldError] = []
        for (index, element) in elements.enumerated() {
            let path = "outlets[\(index)]"
            guard let object = element.objectValue else {
                problems.append(FieldError(field: path, message: "must be an object, got \(element.typeName)"))
                continue
            }
            var input = OutletInput(oid: "")
            problems += read(object, prefix: path, requireAll: true, into: &input)
            rows.append(POSRow(location: path, input: input))
            if problems.count >= POSImportError.maxProblems { break }
        }
        guard problems.isEmpty else { throw POSImportError(Array(problems.prefix(POSImportError.maxProblems))) }
        return rows
    }

    /// Reads `object` into `input`; returns the problems (empty when it is fine). `requireAll`: every required
    /// field must be present (imports); a push checks that only when it creates the outlet.
    public func read(_ object: [String: JSONValue], prefix: String, requireAll: Bool,
                     into input: inout OutletInput) -> [FieldError] {
        func path(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }
        var problems: [FieldError] = []
        for key in object.keys.sorted() where OutletField(rawValue: key) == nil {
            problems.append(FieldError(field: path(key), message: "is not a known field"))
        }
        for field in OutletField.allCases {
            let key = field.rawValue
            guard let value = object[key], !value.isNull else {
                if requireAll && field.isRequired { problems.append(FieldError(field: path(key), message: "is required")) }
                continue
            }
            do {
                switch (field, value) {
                case (.phones, .array(let elements)):
                    let texts = elements.compactMap(\.stringValue)
                    if let bad = elements.firstIndex(where: { $0.stringValue == nil }) {
                        problems.append(FieldError(field: "\(path(key))[\(bad)]",
                                                   message: "must be a string, got \(elements[bad].typeName)"))
                        continue
                    }
                    try rules.setPhones(texts, on: &input)
                case (.phones, _):
                    problems.append(FieldError(field: path(key), message: "must be an array of strings, got \(value.typeName)"))
                case (.fid, .integer(let number)), (.oid, .integer(let number)):
                    try rules.set(field, String(number), on: &input)
                case (_, .string(let text)):
                    try rules.set(field, text, on: &input)
                default:
                    let expected = field == .fid || field == .oid ? "a string or an integer" : "a string"
                    problems.append(FieldError(field: path(key), message: "must be \(expected), got \(value.typeName)"))
                }
            } catch {
                let field = error.phoneIndex.map { "\(path(key))[\($0)]" } ?? path(key)
                problems.append(FieldError(field: field, message: error.message))
            }
        }
        return problems
    }
}
