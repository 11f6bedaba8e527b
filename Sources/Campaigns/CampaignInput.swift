import GatewayKit

/// `POST /v1/segments/{id}/campaigns`: `{"name", "template": {"name", "language"?}, "variables": [...]}` — a name of
/// 1 to 100 characters, a WhatsApp template, and what fills each of its parameters `{{1}}`, `{{2}}`, … in order:
/// `{"property": "full_name", "fallback"?: "there"}` (a property of the member: `full_name`, `contact_id`,
/// `phone_number`, `email`, or a contact field by its key — `custom.<key>` or a built-in field's plain key) or
/// `{"text": "20% off"}` (the same for everyone). Every problem is named by its path (`variables[1].property`).
public struct CampaignInput: Sendable, Equatable {
    public static let maxName = 100

    /// What fills one template parameter.
    public enum Variable: Sendable, Equatable {
        /// A property of the member; `fallback` when they have none (without one such a member is skipped).
        case property(String, fallback: String?)
        case text(String)

        var json: JSONValue {
            switch self {
            case .property(let name, let fallback):
                var object: [String: JSONValue] = ["property": .string(name)]
                if let fallback { object["fallback"] = .string(fallback) }
                return .object(object)
            case .text(let text): return ["text": .string(text)]
            }
        }

        /// The variables as stored (``CampaignInput/variablesJSON``).
        static func stored(_ json: JSONValue) -> [Variable] {
            (json.arrayValue ?? []).compactMap { item in
                if let text = item["text"]?.stringValue { return .text(text) }
                return item["property"]?.stringValue.map { .property($0, fallback: item["fallback"]?.stringValue) }
            }
        }
    }

    public let name: String
    public let template: String
    public let language: String?
    public let variables: [Variable]

    public var variablesJSON: JSONValue { .array(variables.map(\.json)) }

    /// Reads `body`; `properties` says whether a property name exists (contact fields are the store's).
    public static func read(_ body: JSONValue, properties: (String) -> Bool) -> Result<CampaignInput, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object")]))
        }
        var v = FieldValidator(object)
        v.rejectUnknownKeys(allowed: ["name", "template", "variables"])
        let name = v.requiredString("name")?.trimmingSpaces
        if let name, name.isEmpty || name.count > maxName { v.fail("name", "must be 1 to \(maxName) characters") }
        var template: (name: String?, language: String?) = (nil, nil)
        if let object = v.requiredObject("template") {
            var t = FieldValidator(object, prefix: "template")
            t.rejectUnknownKeys(allowed: ["name", "language"])
            template = (t.requiredString("name"), t.optionalString("language"))
            v.merge(t)
        }
        var variables: [Variable] = []
        for (index, item) in (v.optionalArray("variables") ?? []).enumerated() {
            let path = "variables[\(index)]"
            guard let object = item.objectValue else {
                v.merge([FieldError(field: path, message: "must be an object with property or text")])
                continue
            }
            var e = FieldValidator(object, prefix: path)
            e.rejectUnknownKeys(allowed: ["property", "fallback", "text"])
            switch (object["property"], object["text"]) {
            case (.some, .none):
                let property = e.requiredString("property")
                let fallback = e.optionalString("fallback")
                if let property, !properties(property) { e.fail("property", "no contact property \(property)") }
                if let fallback, fallback.trimmingSpaces.isEmpty { e.fail("fallback", "must not be empty") }
                if let property { variables.append(.property(property, fallback: fallback)) }
            case (.none, .some):
                if object["fallback"] != nil { e.fail("fallback", "only a property has a fallback") }
                if let text = e.requiredString("text") {
                    if text.trimmingSpaces.isEmpty { e.fail("text", "must not be empty") }
                    variables.append(.text(text))
                }
            default:
                e.fail("property", "give either property or text")
            }
            v.merge(e)
        }
        guard v.errors.isEmpty, let name, let templateName = template.name else { return .failure(.validation(v.errors)) }
        return .success(CampaignInput(name: name, template: templateName, language: template.language,
                                      variables: variables))
    }
}
