import GatewayKit
/// Reads one template file and checks it against what the Cloud API will accept, collecting every problem with the
/// field it is in.
///
/// ```json
/// {"name": "csat_request", "category": "UTILITY", "parameters": ["customer_name", "ticket_ref"],
///  "quick_reply_payloads": ["csat:{{2}}:1", …],
///  "languages": {"en": {"components": [{"type": "BODY", "text": "Hi {{1}}, … {{2}} …"},
///                                      {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "1"}, …]}]},
///                "ms": {…}}}
/// ```
/// Components: `HEADER` and `FOOTER` (fixed text, at most 60 characters), `BODY` (required, at most 1024
/// characters, placeholders `{{1}}`…`{{n}}` for the n declared parameters: none missing, extra or skipped), `BUTTONS`
/// (1–10 `QUICK_REPLY` buttons of at most 25 characters, as many as `quick_reply_payloads`).
package enum WhatsAppTemplateFile {
    static let topLevelKeys: Set<String> = ["name", "category", "parameters", "quick_reply_payloads", "languages"]

    /// The template, or every problem found (then the template is nil).
    static func parse(_ bytes: [UInt8], fileName: String,
                      requiredLanguages: [String]) -> (template: WhatsAppTemplate?, problems: [FieldError]) {
        let root = rootObject(bytes)
        guard let object = root.object else { return (nil, root.problems) }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: topLevelKeys)
        let name = fields.requiredString("name")
        if let name, name + ".json" != fileName {
            fields.fail("name", "must match the file name (\(fileName))")
        } else if let name, !isTemplateName(name) {
            fields.fail("name", "must be 1-512 characters of a-z, 0-9 and _")
        }
        let category = fields.requiredString("category")
        if let category, !WhatsAppTemplate.categories.contains(category) {
            fields.fail("category", "must be one of \(WhatsAppTemplate.categories.joined(separator: ", "))")
        }
        let parameters = strings("parameters", in: &fields, required: true)
        let payloads = strings("quick_reply_payloads", in: &fields, required: false)
        for (index, payload) in payloads.enumerated() {
            checkPlaceholders(payload, declared: parameters.count, exact: false,
                              field: "quick_reply_payloads[\(index)]", in: &fields)
        }
        var languages: [String: WhatsAppTemplateText] = [:]
        if let members = fields.requiredObject("languages") {
            for code in requiredLanguages where members[code] == nil {
                fields.fail("languages.\(code)", "is missing (every template needs \(requiredLanguages.joined(separator: ", ")))")
            }
            for code in members.keys.sorted() {
                guard isLanguageCode(code) else {
                    fields.fail("languages.\(code)", "is not a language code like en, ms or en_US")
                    continue
                }
                var language = FieldValidator(members, prefix: "languages")
                languages[code] = WhatsAppTemplateComponents.parse(
                    language.requiredObject(code), path: "languages.\(code)", parameters: parameters.count,
                    payloads: payloads.count, into: &language)
                fields.merge(language)
            }
        }
        guard fields.errors.isEmpty, let name, let category else { return (nil, fields.errors) }
        return (WhatsAppTemplate(name: name, category: category, parameters: parameters, quickReplyPayloads: payloads,
                                 languages: languages), [])
    }

    /// The file's top-level object, or nil with the problem of the whole file (not JSON, not an object).
    static func rootObject(_ bytes: [UInt8]) -> (object: [String: JSONValue]?, problems: [FieldError]) {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            return (nil, [FieldError(field: "(file)", message: "is not valid JSON: \(error)")])
        }
        guard let object = root.objectValue else {
            return (nil, [FieldError(field: "(file)", message: "must be a JSON object")])
        }
        return (object, [])
    }

    /// Checks the `{{n}}` of `text`: well formed; with `exact`, exactly `{{1}}`…`{{declared}}`, else within them.
    static func checkPlaceholders(_ text: String, declared: Int, exact: Bool, field: String,
                                  in fields: inout FieldValidator) {
        switch TemplatePlaceholders.numbers(in: text) {
        case .malformed(let message):
            fields.fail(field, message)
        case .numbers(let numbers):
            if exact, let mismatch = TemplatePlaceholders.mismatch(Set(numbers), declared: declared) {
                fields.fail(field, mismatch)
            } else if !exact, let extra = numbers.first(where: { $0 > declared }) {
                fields.fail(field, "uses {{\(extra)}} but parameters declares \(declared)")
            }
        }
    }

    /// An array of non-empty strings (absent = empty unless `required`).
    private static func strings(_ key: String, in fields: inout FieldValidator, required: Bool) -> [String] {
        guard let array = required ? fields.requiredArray(key) : fields.optionalArray(key) else { return [] }
        var values: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element.stringValue, !text.isEmpty else {
                fields.fail("\(key)[\(index)]", "must be a non-empty string")
                continue
            }
            values.append(text)
        }
        return values
    }

    private static func isTemplateName(_ name: String) -> Bool {
        (1...512).contains(name.utf8.count)
            && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    /// `en`, `ms`, `pt_BR`: what Meta's `language.code` takes.
    package static func isLanguageCode(_ code: String) -> Bool {
        let parts = code.split(separator: "_", omittingEmptySubsequences: false)
        let lower = { (part: Substring) in (2...3).contains(part.count) && part.utf8.allSatisfy { $0 >= 97 && $0 <= 122 } }
        let upper = { (part: Substring) in part.count == 2 && part.utf8.allSatisfy { $0 >= 65 && $0 <= 90 } }
        return (parts.count == 1 && lower(parts[0])) || (parts.count == 2 && lower(parts[0]) && upper(parts[1]))
    }
}
