import Foundation
import GatewayKit

/// Reading the classification rules file:
///
/// ```json
/// {"lead":    {"queue": "sales",   "keywords": {"en": ["price", "how much"], "ms": ["harga", "berapa"]}},
///  "support": {"queue": "support", "keywords": {"en": ["broken"], "ms": ["rosak"]}}}
/// ```
///
/// `keywords` maps a language tag to its list: every list applies to every message, and the tags name the language of
/// the customer (see ``TicketClassifier``).
/// Keys starting with `_` are comments.
extension TicketClassifier {
    /// Loads the rules at `path`; any problem is a ``ConfigError`` naming `key` (the setting that points at the file).
    public static func load(path: String, key: String) throws(ConfigError) -> TicketClassifier {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidValue(key: key, reason: "cannot read \(path); set it to the rules file "
                                + "(Config/ticket-classification.json) or to null to classify every ticket as support")
        }
        do {
            return try parse(JSONParser.parse([UInt8](data)))
        } catch let error as JSONParseError {
            throw .invalidValue(key: key, reason: "\(path) is not valid JSON: \(error.description)")
        } catch let error as RulesError {
            throw .invalidValue(key: key, reason: "\(path): \(error.field) \(error.message)")
        } catch {
            throw .invalidValue(key: key, reason: "\(path): \(error)")
        }
    }

    struct RulesError: Error {
        let field: String
        let message: String
    }

    static func parse(_ root: JSONValue) throws -> TicketClassifier {
        guard let members = root.objectValue else { throw RulesError(field: "(root)", message: "must be an object") }
        for name in members.keys.sorted() where !name.hasPrefix("_") && name != "lead" && name != "support" {
            throw RulesError(field: name, message: "is not a class (lead, support)")
        }
        return TicketClassifier(lead: try rule("lead", members["lead"], defaultQueue: "sales"),
                                support: try rule("support", members["support"], defaultQueue: "support"))
    }

    private static func rule(_ name: String, _ value: JSONValue?, defaultQueue: String) throws -> Rule {
        guard let value else { return Rule(queue: defaultQueue, keywords: []) }
        guard let object = value.objectValue else { throw RulesError(field: name, message: "must be an object") }
        var rule = Rule(queue: defaultQueue, keywords: [])
        for key in object.keys.sorted() where !key.hasPrefix("_") {
            switch (key, object[key]!) {
            case ("queue", .string(let queue)) where !queue.isEmpty && queue.count <= 64:
                rule.queue = queue
            case ("keywords", .object(let languages)):
                for language in languages.keys.sorted() where !language.hasPrefix("_") {
                    guard let list = languages[language]?.arrayValue else {
                        throw RulesError(field: "\(name).keywords.\(language)", message: "must be an array of strings")
                    }
                    for (index, entry) in list.enumerated() {
                        let words = entry.stringValue.map(Self.words) ?? []
                        guard !words.isEmpty else {
                            throw RulesError(field: "\(name).keywords.\(language)[\(index)]",
                                             message: "must be a string with at least one letter or digit")
                        }
                        if let known = rule.keywords.firstIndex(where: { $0.words == words }) {
                            rule.keywords[known].languages.insert(language)
                        } else {
                            rule.keywords.append(Keyword(words: words, languages: [language]))
                        }
                    }
                }
            case ("queue", _):
                throw RulesError(field: "\(name).queue", message: "must be a string of 1-64 characters")
            case ("keywords", _):
                throw RulesError(field: "\(name).keywords", message: "must be an object of language: [keywords]")
            default:
                throw RulesError(field: "\(name).\(key)", message: "is not a known field (queue, keywords)")
            }
        }
        return rule
    }
}
