/// Why the template folder was refused at start-up: every problem found, each naming the file and the field
/// (`languages.ms.components[0].text`), so one run shows everything to fix.
public struct WhatsAppTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable {
        public let file: String
        public let field: String
        public let message: String
    }

    public let problems: [Problem]

    public var description: String {
        "invalid WhatsApp templates:\n" + problems.map { "  \($0.file): \($0.field): \($0.message)" }
            .joined(separator: "\n")
    }
}
