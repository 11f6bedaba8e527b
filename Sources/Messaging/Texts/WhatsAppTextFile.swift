import GatewayKit
/// Reads one text file against the ``WhatsAppTextSet`` a feature declared, collecting every problem with its field:
///
/// ```json
/// {"name": "outlet_choice_list",
///  "languages": {"en": {"body": "…", "button": "Choose outlet", "footer_partial": "{{1}} of {{2}} outlets …"},
///                "ms": {…}}}
/// ```
/// Each required language holds exactly the set's fields, each a non-empty string of at most 4096 characters (the
/// Cloud API's text limit) without control characters other than line breaks, using exactly its `{{1}}`…`{{n}}`.
enum WhatsAppTextFile {
    static let maxLength = 4096

    /// The texts by language, or every problem found (then nil).
    static func parse(_ bytes: [UInt8], set: WhatsAppTextSet,
                      requiredLanguages: [String]) -> (texts: [String: [String: String]]?, problems: [FieldError]) {
        let root = WhatsAppTemplateFile.rootObject(bytes)
        guard let object = root.object else { return (nil, root.problems) }
        var fields = FieldValidator(object)
        fields.rejectUnknownKeys(allowed: ["name", "languages"])
        if let name = fields.requiredString("name"), name != set.name {
            fields.fail("name", "must match the file name (\(set.name))")
        }
        var texts: [String: [String: String]] = [:]
        if let members = fields.requiredObject("languages") {
            for code in requiredLanguages where members[code] == nil {
                fields.fail("languages.\(code)",
                            "is missing (every text needs \(requiredLanguages.joined(separator: ", ")))")
            }
            for code in members.keys.sorted() {
                guard WhatsAppTemplateFile.isLanguageCode(code) else {
                    fields.fail("languages.\(code)", "is not a language code like en, ms or en_US")
                    continue
                }
                var language = FieldValidator(members, prefix: "languages")
                if let entries = language.requiredObject(code) {
                    texts[code] = read(entries, of: set, path: "languages.\(code)", into: &language)
                }
                fields.merge(language)
            }
        }
        return fields.errors.isEmpty ? (texts, []) : (nil, fields.errors)
    }

    /// The set's fields of one language.
    private static func read(_ entries: [String: JSONValue], of set: WhatsAppTextSet, path: String,
                             into validator: inout FieldValidator) -> [String: String] {
        var fields = FieldValidator(entries, prefix: path)
        fields.rejectUnknownKeys(allowed: Set(set.fields.keys))
        var texts: [String: String] = [:]
        for (field, placeholders) in set.fields.sorted(by: { $0.key < $1.key }) {
            guard let text = fields.requiredString(field) else { continue }
            if text.count > maxLength {
                fields.fail(field, "must be at most \(maxLength) characters")
            } else if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
                fields.fail(field, "must not contain control characters other than line breaks")
            }
            WhatsAppTemplateFile.checkPlaceholders(text, declared: placeholders, exact: true, field: field,
                                                   in: &fields)
            texts[field] = text
        }
        validator.merge(fields)
        return texts
    }
}
