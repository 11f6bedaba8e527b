/// What a feature writes to customers as free-form WhatsApp text (inside the 24-hour window, where no approved
/// template is needed): the name of its text file and each field it fills, with how many `{{n}}` values the field
/// takes. The words themselves are data (``WhatsAppTextCatalog``), one file per set, in every language.
public struct WhatsAppTextSet: Sendable, Hashable {
    /// The file is `<templates_dir>/texts/<name>.json`.
    public let name: String
    /// Field name → the number of its placeholders (`{{1}}`…`{{n}}`, each used).
    public let fields: [String: Int]

    public init(name: String, fields: [String: Int]) {
        self.name = name
        self.fields = fields
    }
}

/// One text set in one language, as a feature fills it.
public struct WhatsAppTexts: Sendable, Equatable {
    /// The language the texts are in (`en`, `ms`).
    public let language: String
    let fields: [String: String]

    /// Field `name` with its `{{n}}` filled from `values`. The catalog checked at start-up that every field of the
    /// set exists with exactly its placeholders, so a field of the set is always there.
    public func text(_ name: String, _ values: String...) -> String {
        TemplatePlaceholders.fill(fields[name] ?? "", with: values)
    }
}
