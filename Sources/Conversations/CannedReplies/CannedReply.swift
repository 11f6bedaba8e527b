import GatewayKit
import Messaging
import Storage

/// A canned reply as agents save it: `{"name", "language": "en"|"ms", "text", "tags"?, "template"?: {"name",
/// "parameters": ["{{contact.name}}", …]}}`. The text is sent inside the customer's 24-hour window; the template —
/// an approved one from the catalog, in the reply's language, one parameter per template placeholder — outside it.
/// Every variable in the text and the parameters must be one of ``CannedReplyVariables/names``.
public struct CannedReply: Sendable, Equatable {
    public static let languages = ["en", "ms"]
    public static let maxNameLength = 100

    /// The approved template sent instead of the text outside the 24-hour window.
    public struct Template: Sendable, Equatable {
        public let name: String
        /// Filled in order into the template's `{{1}}`, `{{2}}`, …; may hold variables.
        public let parameters: [String]
    }

    public var id: Int64 = 0
    public let name: String
    public let language: String
    public let text: String
    public let tags: [String]
    public let template: Template?

    /// Reads and checks a saved reply's body against the template `catalog`; every problem named at once.
    public static func read(_ body: JSONValue, catalog: WhatsAppTemplateCatalog) -> Result<CannedReply, GatewayError> {
        guard let object = body.objectValue else {
            return .failure(.validation([FieldError(field: "body", message: "must be a JSON object, got \(body.typeName)")]))
        }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: ["name", "language", "text", "tags", "template"])
        let name = fields.requiredString("name")
        if let name, name.count > maxNameLength { fields.fail("name", "must be at most \(maxNameLength) characters") }
        let language = fields.requiredString("language")
        if let language, !languages.contains(language) { fields.fail("language", "must be one of en, ms") }
        let text = fields.requiredString("text")
        if let text {
            if text.count > WhatsAppContent.textLimit { fields.fail("text", "must be at most \(WhatsAppContent.textLimit) characters") }
            checkVariables(text, field: "text", into: &fields)
        }
        let tags = DeskTags.read(&fields)
        var template: Template?
        if object["template"]?.isNull == false, let spec = fields.requiredObject("template") {
            template = readTemplate(spec, language: language, catalog: catalog, into: &fields)
        }
        guard fields.errors.isEmpty, let name, let language, let text else { return .failure(.validation(fields.errors)) }
        return .success(CannedReply(name: name, language: language, text: text, tags: tags, template: template))
    }

    private static func readTemplate(_ object: [String: JSONValue], language: String?, catalog: WhatsAppTemplateCatalog,
                                     into fields: inout FieldValidator) -> Template? {
        var template = FieldValidator(object, prefix: "template")
        template.rejectUnknownKeys(allowed: ["name", "parameters"])
        let name = template.requiredString("name")
        let values = template.requiredArray("parameters") ?? []
        let parameters = values.enumerated().compactMap { index, value -> String? in
            guard let parameter = value.stringValue, !parameter.isEmpty else {
                template.fail("parameters[\(index)]", "must be a non-empty string")
                return nil
            }
            checkVariables(parameter, field: "template.parameters[\(index)]", into: &template)
            return parameter
        }
        if let name {
            if let known = catalog.templates[name] {
                if let language, known.languages[language] == nil {
                    template.fail("name", "has no approved text in \(language) (it has \(known.languages.keys.sorted().joined(separator: ", ")))")
                } else if values.count != known.parameters.count {
                    template.fail("parameters", "must hold \(known.parameters.count) values (\(known.parameters.joined(separator: ", "))), got \(values.count)")
                }
            } else {
                template.fail("name", "is not an approved template (see GET /v1/templates)")
            }
        }
        fields.merge(template)
        guard template.errors.isEmpty, let name else { return nil }
        return Template(name: name, parameters: parameters)
    }

    /// Names each unknown variable of `text` under `field`.
    private static func checkVariables(_ text: String, field: String, into fields: inout FieldValidator) {
        for unknown in CannedReplyVariables.unknown(in: text) {
            fields.merge([FieldError(field: field, message: "unknown variable {{\(unknown)}} (known: "
                                     + CannedReplyVariables.names.map { "{{\($0)}}" }.joined(separator: ", ") + ")")])
        }
    }

    /// As the API shows it.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["id": .integer(id), "name": .string(name), "language": .string(language),
                                           "text": .string(text), "tags": .array(tags.map(JSONValue.string))]
        object["template"] = template.map { ["name": .string($0.name),
                                             "parameters": .array($0.parameters.map(JSONValue.string))] } ?? .null
        return .object(object)
    }
}
