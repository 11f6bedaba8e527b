import GatewayKit

/// The cheap shape check run at ingress, before a WhatsApp delivery is acknowledged: enough structure to be worth
/// storing, nothing about individual messages (those are judged one by one later, so one odd message never makes Meta
/// re-send a whole batch).
public enum WhatsAppEnvelope {
    /// Stop listing problems after this many: a 400 response should name the faults, not echo a huge body.
    public static let maxErrors = 50
    /// The levels of containers ``validate(_:)`` reads (the document, `entry`, each entry, `changes`, each change):
    /// a body parsed with `JSONParser.parse(_:outerLevels:)` to this depth gets the same verdict, without building
    /// the messages and statuses inside each change's `value`.
    public static let levels = 5

    /// Problems with the envelope, each named by JSON path (`body` for the document itself, `entry`,
    /// `entry[0].changes`, `entry[0].changes[1].value`, …); empty when the shape is acceptable. Requires an object
    /// with a string `object` and an array `entry` whose elements are objects with an array `changes`, each change an
    /// object with an object `value` and a string `field`.
    public static func validate(_ json: JSONValue) -> [FieldError] {
        isAcceptable(json) ? [] : problems(json)
    }

    /// The same rules answered yes or no, with no error paths built: what almost every delivery needs.
    private static func isAcceptable(_ json: JSONValue) -> Bool {
        guard case .object(let root) = json, case .string(let object)? = root["object"], !object.isEmpty,
              case .array(let entries)? = root["entry"] else { return false }
        return entries.allSatisfy { entry in
            guard case .object(let entry) = entry, case .array(let changes)? = entry["changes"] else { return false }
            return changes.allSatisfy { change in
                guard case .object(let change) = change, case .object? = change["value"],
                      case .string(let field)? = change["field"], !field.isEmpty else { return false }
                return true
            }
        }
    }

    /// Every problem, named by its path (a rejected delivery).
    private static func problems(_ json: JSONValue) -> [FieldError] {
        guard case .object(let root) = json else {
            return [FieldError(field: "body", message: "must be a JSON object, got \(json.typeName)")]
        }
        var fields = FieldValidator(root)
        _ = fields.requiredString("object")
        guard let entries = fields.requiredArray("entry") else { return fields.errors }
        var errors = fields.errors
        for (index, entry) in entries.enumerated() where errors.count < maxErrors {
            errors.append(contentsOf: validateEntry(entry, path: "entry[\(index)]"))
        }
        return Array(errors.prefix(maxErrors))
    }

    private static func validateEntry(_ entry: JSONValue, path: String) -> [FieldError] {
        guard case .object(let object) = entry else {
            return [FieldError(field: path, message: "must be an object, got \(entry.typeName)")]
        }
        var fields = FieldValidator(object, prefix: path)
        guard let changes = fields.requiredArray("changes") else { return fields.errors }
        for (index, change) in changes.enumerated() where fields.errors.count < maxErrors {
            let changePath = "\(path).changes[\(index)]"
            guard case .object(let changeObject) = change else {
                fields.fail("changes[\(index)]", "must be an object, got \(change.typeName)")
                continue
            }
            var changeFields = FieldValidator(changeObject, prefix: changePath)
            _ = changeFields.requiredObject("value")
            _ = changeFields.requiredString("field")
            fields.merge(changeFields)
        }
        return fields.errors
    }
}
