import Foundation

/// What the coverage test needs from `openapi.yaml`: its operations, its components and its `$ref`s. The package has
/// no dependencies, so there is no YAML parser; the file instead keeps to the indentation rules written at its top,
/// and this reader follows exactly those rules and reports every line that breaks them.
package struct OpenAPIOutline {
    package static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    /// Path Item members that are not operations (a path-level `$ref` is not supported: it would hide operations).
    package static let pathItemFields: Set<String> = ["summary", "description", "parameters", "servers"]

    /// `METHOD /pattern` of every operation under `paths`, e.g. `GET /v1/deals/{id}`.
    package private(set) var operations: Set<String> = []
    /// `section/Name` of every component under `components`, e.g. `schemas/Problem`.
    package private(set) var components: Set<String> = []
    /// The `x-permission` of each operation (`METHOD /pattern` → `tickets.read`, `open`, `authenticated`).
    package private(set) var permissions: [String: String] = [:]
    /// Every `$ref` value as written, with its line number.
    package private(set) var references: [(line: Int, target: String)] = []
    /// Lines the rules do not allow, described.
    package private(set) var violations: [String] = []

    package init(yaml: String) {
        var section = ""
        var path: String?
        var operation: String?
        var componentSection = ""
        var blockIndent: Int?
        for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if line.contains("\t") { violations.append("line \(number): tab") }
            let text = line.drop(while: { $0 == " " })
            guard !text.isEmpty, !text.hasPrefix("#") else { continue }
            let indent = line.count - text.count
            // Lines of a block scalar (`description: |`) are text, not entries.
            if let block = blockIndent, indent > block { continue }
            blockIndent = text.hasSuffix(": |") || text.hasSuffix(": >") || text.hasSuffix(": |-")
                || text.hasSuffix(": >-") ? indent : nil
            if let problem = Self.plainValueProblem(text) { violations.append("line \(number): \(problem)") }
            if let ref = text.range(of: "$ref:") {
                let target = text[ref.upperBound...].trimmingCharacters(in: [" ", "'", "\""])
                references.append((number, target))
            }
            let key = text.hasSuffix(":") ? String(text.dropLast()) : nil
            switch (indent, section) {
            case (0, _):
                section = String(text.prefix(while: { $0 != ":" }))
            case (2, "paths"):
                guard let key, key.hasPrefix("/") else {
                    violations.append("line \(number): expected a path `/…:` at two spaces under paths")
                    continue
                }
                path = key
                operation = nil
            case (4, "paths"):
                guard let key, let path else { continue }
                operation = nil
                if Self.methods.contains(key) {
                    operation = "\(key.uppercased()) \(path)"
                    operations.insert("\(key.uppercased()) \(path)")
                } else if !Self.pathItemFields.contains(key) {
                    violations.append("line \(number): `\(key)` is neither an HTTP method nor a path item field")
                }
            case (6, "paths"):
                if let operation, text.hasPrefix("x-permission:") {
                    permissions[operation] = text.dropFirst("x-permission:".count).trimmingCharacters(in: [" "])
                }
            case (2, "components"):
                componentSection = key ?? ""
            case (4, "components"):
                if let key { components.insert("\(componentSection)/\(key)") }
            default:
                continue
            }
        }
    }

    /// The `$ref`s that do not name a component defined in the file.
    package var unresolvedReferences: [String] {
        references.compactMap { line, target in
            let prefix = "#/components/"
            guard target.hasPrefix(prefix), components.contains(String(target.dropFirst(prefix.count))) else {
                return "line \(line): \(target)"
            }
            return nil
        }
    }

    /// A plain (unquoted) value holding `: ` or `#` after a space is not one value in YAML (a mapping or a comment
    /// starts there): such values must be quoted.
    static func plainValueProblem(_ text: Substring) -> String? {
        let entry = text.hasPrefix("- ") ? text.dropFirst(2) : text
        guard let separator = entry.range(of: ": ") else { return nil }
        let value = entry[separator.upperBound...].drop(while: { $0 == " " })
        guard let first = value.first, !"'\"|>{[&*!".contains(first) else { return nil }
        if value.contains(": ") || value.hasSuffix(":") { return "a plain value holding `: ` must be quoted" }
        if value.contains(" #") { return "a plain value holding ` #` must be quoted" }
        return nil
    }
}
