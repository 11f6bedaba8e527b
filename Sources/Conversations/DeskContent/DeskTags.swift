import GatewayKit
import Storage

/// The tags of canned replies and knowledge-base articles: up to 20 labels of 1–40 characters, kept as given (first
/// spelling wins for duplicates that differ only in case), stored as a JSON array.
public enum DeskTags {
    public static let maxCount = 20
    public static let maxLength = 40

    /// The optional `tags` member of a request body; problems are named `tags` or `tags[i]`.
    static func read(_ fields: inout FieldValidator) -> [String] {
        guard let values = fields.optionalArray("tags") else { return [] }
        guard values.count <= maxCount else {
            fields.fail("tags", "must hold at most \(maxCount) tags")
            return []
        }
        var tags: [String] = []
        for (index, value) in values.enumerated() {
            guard let tag = value.stringValue?.trimmingSpaces, (1...maxLength).contains(tag.count) else {
                fields.fail("tags[\(index)]", "must be a string of 1-\(maxLength) characters")
                continue
            }
            if !tags.contains(where: { $0.lowercased() == tag.lowercased() }) { tags.append(tag) }
        }
        return tags
    }

    static func sql(_ tags: [String]) -> SQLValue { .text(JSONWriter.string(.array(tags.map(JSONValue.string)))) }

    /// The tags of a stored row's `tags` column.
    static func of(_ row: Row) -> [String] {
        row.string("tags").flatMap { try? JSONParser.parse(Array($0.utf8)) }?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}

/// The `?q=` search of canned replies and articles: at least 2 characters, case-insensitive (ASCII letters), a
/// substring of any of the searched columns (the tags' JSON text among them).
public struct DeskSearch: Sendable, Equatable {
    public static let minLength = 2
    public static let maxLength = 100
    public let text: String?

    /// Reads `q` from a query string; a missing or empty `q` searches nothing (lists everything).
    public static func parse(_ query: [String: String]) -> Result<DeskSearch, GatewayError> {
        guard let q = query["q"]?.trimmingSpaces, !q.isEmpty else { return .success(DeskSearch(text: nil)) }
        guard (minLength...maxLength).contains(q.count) else {
            return .failure(.validation([FieldError(field: "q", message: "must be \(minLength)-\(maxLength) characters")]))
        }
        return .success(DeskSearch(text: q))
    }

    /// The WHERE condition over `columns` with its parameters ("TRUE" when there is nothing to search for). `instr`
    /// rather than LIKE: `%` and `_` in the words searched for match themselves.
    func condition(over columns: [String]) -> (sql: String, parameters: [SQLValue]) {
        guard let text else { return ("TRUE", []) }
        let haystack = columns.map { "lower(\($0))" }.joined(separator: " || ' ' || ")
        return ("instr(\(haystack), lower(?)) > 0", [.text(text)])
    }
}
