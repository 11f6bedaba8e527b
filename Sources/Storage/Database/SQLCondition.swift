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
