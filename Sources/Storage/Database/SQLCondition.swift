/// A condition a caller adds to a query's `WHERE` clause — e.g. "only rows of these outlets" — as SQL text with `?`
/// placeholders and the values bound to them in order. The text is built by code from column names it knows, never
/// from input; input only ever travels as a bound value.
public struct SQLCondition: Sendable, Equatable {
    public let sql: String
    public let parameters: [SQLValue]

    public init(sql: String, parameters: [SQLValue]) {
        self.sql = sql
        self.parameters = parameters
    }
}

extension Array where Element == SQLCondition {
    /// All of the conditions (`(a) AND (b)`, their values in order); nil when there are none.
    public func joined() -> SQLCondition? {
        guard count > 1 else { return first }
        return SQLCondition(sql: map { "(\($0.sql))" }.joined(separator: " AND "), parameters: flatMap(\.parameters))
    }
}

extension SQLCondition {
    /// The condition with its placeholders numbered `?first`, `?first+1`, …: for statements that number their own
    /// (`?1`, `?4`), where a plain `?` would take a number already in use. (The condition's text holds `?` only as
    /// placeholders: it is built from column names.)
    public func numbered(from first: Int) -> String {
        var next = first
        var result = ""
        for character in sql {
            if character == "?" {
                result += "?\(next)"
                next += 1
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// `column IN (?, ?, …)`; no values matches nothing.
    public static func membership(_ column: String, _ values: [String]) -> SQLCondition {
        membership(column, bound: values.map(SQLValue.text))
    }

    /// `column IN (?, ?, …)` for integer ids.
    public static func membership(_ column: String, ids: [Int64]) -> SQLCondition {
        membership(column, bound: ids.map(SQLValue.integer))
    }

    private static func membership(_ column: String, bound values: [SQLValue]) -> SQLCondition {
        guard !values.isEmpty else { return SQLCondition(sql: "FALSE", parameters: []) }
        return SQLCondition(sql: "\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))",
                            parameters: values)
    }

    /// Rows whose `column`, text or the bytes of a raw body read as text, contains any of `needles` (a scan: for
    /// rare work such as an erasure); no needles matches nothing. (A cast would not do on PostgreSQL: it writes bytes
    /// as hex.)
    public static func mentions(_ column: String, _ needles: [String]) -> SQLCondition {
        guard !needles.isEmpty else { return SQLCondition(sql: "FALSE", parameters: []) }
        return SQLCondition(sql: "(" + needles.map { _ in "instr(\(column), ?) > 0" }
                                .joined(separator: " OR ") + ")",
                            parameters: needles.map(SQLValue.text))
    }
}
