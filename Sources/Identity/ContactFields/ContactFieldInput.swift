import GatewayKit

extension ContactFieldDefinition {
    /// `POST /v1/contact-fields {"key", "label", "type", "options"?}`: a key of a lower-case letter then up to 39
    /// lower-case letters, digits or `_` (not `contact_id`, the imports' contact column); options (1–200 distinct
    /// texts) exactly for dropdowns and multiple selections.
    public static func read(_ body: JSONValue) -> Result<ContactFieldDefinition, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object")]))
        }
        var v = FieldValidator(object)
        v.rejectUnknownKeys(allowed: ["key", "label", "type", "options"])
        let key = v.requiredString("key")
        if let key, !isKey(key) {
            v.fail("key", "must be a lower-case letter then up to 39 lower-case letters, digits or _")
        } else if key == "contact_id" {
            v.fail("key", "contact_id names the contact in imports; choose another key")
        }
        let label = v.boundedString("label", maxLength: 100)
        if object["label"] == nil { v.fail("label", "is required") }
        let type = v.optionalEnum("type", ContactFieldType.allCases.map(\.rawValue)).flatMap(ContactFieldType.init)
        if object["type"] == nil { v.fail("type", "is required") }
        var options: [String] = []
        if let type, type.hasOptions {
            let items = v.requiredArray("options") ?? []
            options = items.compactMap(\.stringValue).filter { !$0.isEmpty && $0.count <= 100 }
            if options.count != items.count || options.isEmpty || options.count > 200 || Set(options).count != options.count {
                v.fail("options", "must be 1 to 200 distinct texts of 1 to 100 characters")
            }
        } else if object["options"] != nil {
            v.fail("options", "only dropdown and multi_select fields have options")
        }
        guard v.errors.isEmpty, let key, let label, let type else { return .failure(.validation(v.errors)) }
        return .success(ContactFieldDefinition(key: key, label: label, type: type, options: options))
    }

    static func isKey(_ text: String) -> Bool {
        guard let first = text.utf8.first, (0x61...0x7A).contains(first), text.utf8.count <= 40 else { return false }
        return text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }
}

/// Values for a contact's fields, `{"<key>": value | null}` (null clears), each checked against its field's type and
/// bounds; each error is named by `naming` the field's key.
enum ContactFieldValues {
    /// The changes, and the problems (empty when every value fits).
    static func read(_ object: [String: JSONValue], fields: [ContactFieldDefinition], naming: (String) -> String)
        -> (changes: [(key: String, values: [String]?, type: ContactFieldType)], errors: [FieldError]) {
        var errors: [FieldError] = []
        var changes: [(key: String, values: [String]?, type: ContactFieldType)] = []
        let byKey = Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0) })
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let field = byKey[key] else {
                errors.append(FieldError(field: naming(key), message: "is not a contact field (GET /v1/contact-fields)"))
                continue
            }
            if value.isNull {
                changes.append((key, nil, field.type))
                continue
            }
            do {
                changes.append((key, try field.values(of: value), field.type))
            } catch {
                errors.append(FieldError(field: naming(key), message: error.message))
            }
        }
        return (changes, errors)
    }
}
