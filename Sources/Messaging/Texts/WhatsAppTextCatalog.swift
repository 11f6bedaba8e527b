import Foundation
import GatewayKit

/// The free-form texts features send inside the 24-hour window (the outlet-choice list, the renewal-reply
/// acknowledgement, ...), loaded at start-up from `<templates_dir>/texts/` next to the templates: one `<name>.json`
/// per ``WhatsAppTextSet`` the features declare, in every language a template must have. A missing or bad file stops
/// start-up with every problem named (``WhatsAppTemplateError``), so a send never lacks its words; other files in the
/// folder are not read.
public struct WhatsAppTextCatalog: Sendable {
    /// The sub-folder of the template folder holding the texts.
    public static let folder = "texts"

    private let texts: [String: [String: [String: String]]]
    public let defaultLanguage: String

    /// Reads `directory` (the texts folder) for `sets`.
    /// - Throws: ``WhatsAppTemplateError`` naming each file and field at fault.
    public static func load(directory: String, sets: [WhatsAppTextSet],
                            defaultLanguage: String) throws(WhatsAppTemplateError) -> WhatsAppTextCatalog {
        let languages = WhatsAppTemplateCatalog.requiredLanguages.contains(defaultLanguage)
            ? WhatsAppTemplateCatalog.requiredLanguages : WhatsAppTemplateCatalog.requiredLanguages + [defaultLanguage]
        var problems: [WhatsAppTemplateError.Problem] = []
        var texts: [String: [String: [String: String]]] = [:]
        for set in sets {
            let file = path(directory, set.name + ".json")
            guard let data = FileManager.default.contents(atPath: file) else {
                problems.append(.init(file: file, field: "(file)", message: "is missing"))
                continue
            }
            let parsed = WhatsAppTextFile.parse([UInt8](data), set: set, requiredLanguages: languages)
            problems += parsed.problems.map { .init(file: file, field: $0.field, message: $0.message) }
            texts[set.name] = parsed.texts
        }
        guard problems.isEmpty else { throw WhatsAppTemplateError(problems: problems) }
        return WhatsAppTextCatalog(texts: texts, defaultLanguage: defaultLanguage)
    }

    /// The texts of `set` in `language` when the file has it, else in the default language.
    public func texts(_ set: WhatsAppTextSet, language: String?) -> WhatsAppTexts {
        let languages = texts[set.name] ?? [:]
        let code = language.flatMap { languages[$0] == nil ? nil : $0 } ?? defaultLanguage
        return WhatsAppTexts(language: code, fields: languages[code] ?? [:])
    }

    private static func path(_ directory: String, _ file: String) -> String {
        (directory as NSString).appendingPathComponent(file)
    }
}
