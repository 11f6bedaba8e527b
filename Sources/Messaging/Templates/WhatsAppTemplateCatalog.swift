import Foundation
import GatewayKit

/// The templates loaded from the template folder at start-up, checked as a whole (a bad file stops start-up with
/// every problem named), and the language a send uses when it names none.
public struct WhatsAppTemplateCatalog: Sendable {
    /// Every template must be approved in these (English and Malay, the merchants' languages).
    public static let requiredLanguages = ["en", "ms"]

    public let templates: [String: WhatsAppTemplate]
    public let defaultLanguage: String

    public init(templates: [WhatsAppTemplate], defaultLanguage: String) {
        self.templates = Dictionary(templates.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.defaultLanguage = defaultLanguage
    }

    /// Reads every `*.json` file of `directory`. Each must be a valid template in every required language and in
    /// `defaultLanguage`.
    /// - Throws: ``WhatsAppTemplateError`` naming each file and field at fault (also a missing folder).
    public static func load(directory: String, defaultLanguage: String) throws(WhatsAppTemplateError)
        -> WhatsAppTemplateCatalog {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }
                .sorted()
        } catch {
            throw WhatsAppTemplateError(problems: [.init(file: directory, field: "whatsapp.templates_dir",
                                                          message: "cannot read the template folder")])
        }
        let languages = requiredLanguages.contains(defaultLanguage) ? requiredLanguages
                                                                    : requiredLanguages + [defaultLanguage]
        var templates: [WhatsAppTemplate] = []
        var problems: [WhatsAppTemplateError.Problem] = []
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append(.init(file: path, field: "(file)", message: "cannot be read"))
                continue
            }
            let parsed = WhatsAppTemplateFile.parse([UInt8](data), fileName: file, requiredLanguages: languages)
            problems += parsed.problems.map { .init(file: path, field: $0.field, message: $0.message) }
            if let template = parsed.template { templates.append(template) }
        }
        guard problems.isEmpty else { throw WhatsAppTemplateError(problems: problems) }
        return WhatsAppTemplateCatalog(templates: templates, defaultLanguage: defaultLanguage)
    }

    /// The template a send names and the language used, once its values are checked.
    /// - Throws: ``WhatsAppSendError`` for an unknown template or language, a wrong number of values, or a value
    ///   Meta refuses in a parameter (empty, a line break or tab, more than four spaces in a row).
    func resolve(name: String, language: String?,
                 values: [String]) throws(WhatsAppSendError) -> (template: WhatsAppTemplate, language: String) {
        guard let template = templates[name] else { throw .unknownTemplate(name) }
        let code = language ?? defaultLanguage
        guard template.languages[code] != nil else {
            throw .unknownLanguage(template: name, language: code, available: template.languages.keys.sorted())
        }
        guard values.count == template.parameters.count else {
            throw .parameterCount(template: name, expected: template.parameters.count, given: values.count)
        }
        let problems = values.enumerated().compactMap { index, value in
            Self.parameterProblem(value).map { FieldError(field: "template.parameters[\(index)]", message: $0) }
        }
        guard problems.isEmpty else { throw .invalidFields(problems) }
        return (template, code)
    }

    /// The body text a customer reads for a template send (`{{n}}` filled with `values`), or nil for an unknown
    /// template or language. For the record of what was sent (ticket conversations); Meta renders its own copy.
    public func filledBody(name: String, language: String, values: [String]) -> String? {
        templates[name]?.languages[language].map { TemplatePlaceholders.fill($0.body, with: values) }
    }

    /// `language` when template `name` has text in it, else nil (the catalog's default language then applies).
    public func language(_ language: String?, ifAvailableFor name: String) -> String? {
        guard let language, templates[name]?.languages[language] != nil else { return nil }
        return language
    }

    /// Meta refuses parameter text that is empty, holds a line break or tab, or more than four spaces in a row.
    static func parameterProblem(_ value: String) -> String? {
        if value.trimmingCharacters(in: .whitespaces).isEmpty { return "must not be empty" }
        if value.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" }) {
            return "must not contain line breaks or tabs"
        }
        if value.contains("     ") { return "must not contain more than 4 spaces in a row" }
        if value.count > WhatsAppTemplateComponents.bodyLimit { return "is too long" }
        return nil
    }
}
