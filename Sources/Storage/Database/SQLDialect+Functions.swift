/// The few SQL functions and clauses the engines spell differently, each written once here so a statement that needs
/// one names it through the connection's dialect (`"… \(c.dialect.indexedBy("i")) …"`) rather than switching
/// on the engine itself. Everything else feature code writes in SQL both engines accept.
extension SQLDialect {
    /// SQLite's `INDEXED BY index` (a statement that must use a partial index); nothing on PostgreSQL, whose planner
    /// matches a partial index's condition itself.
    public func indexedBy(_ index: String) -> String {
        self == .sqlite ? "INDEXED BY \(index)" : ""
    }

    /// `column` as an expression SQLite reads without any index on it (a unary `+`), for a condition that must not
    /// choose the order a statement walks its rows in; the column itself on PostgreSQL, whose planner weighs the
    /// condition by its statistics (and has no unary `+` for text).
    public func unindexed(_ column: String) -> String {
        self == .sqlite ? "+\(column)" : column
    }

    /// A subquery of the elements of the JSON array bound at `placeholder` (a list of ids or phones in one value),
    /// as `value` of `type` (`TEXT` or `INTEGER`).
    public func jsonArrayElements(_ placeholder: String = "?", as type: String = "TEXT") -> String {
        switch self {
        case .sqlite: return "SELECT value FROM json_each(\(placeholder))"
        case .postgres:
            return "SELECT CAST(value AS \(type == "INTEGER" ? "BIGINT" : type)) AS value "
                + "FROM jsonb_array_elements_text(CAST(\(placeholder) AS jsonb)) AS element (value)"
        }
    }

    /// `column` (a JSON array, as text) with the JSON document bound at `placeholder` appended.
    public func jsonAppend(_ column: String, _ placeholder: String = "?") -> String {
        switch self {
        case .sqlite: return "json_insert(\(column), '$[#]', json(\(placeholder)))"
        case .postgres:
            return "CAST(CAST(\(column) AS jsonb) || jsonb_build_array(CAST(\(placeholder) AS jsonb)) AS TEXT)"
        }
    }

    /// The text at `path` (object keys) inside the JSON document `column`; NULL when it is missing.
    public func jsonText(_ column: String, path: [String]) -> String {
        switch self {
        case .sqlite: return "json_extract(\(column), '$.\(path.joined(separator: "."))')"
        case .postgres: return "(CAST(\(column) AS jsonb) #>> '{\(path.joined(separator: ","))}')"
        }
    }

    /// A JSON object built from `pairs` (`'key', expression, …`), as text.
    public func jsonObject(_ pairs: String) -> String {
        self == .sqlite ? "json_object(\(pairs))" : "CAST(json_build_object(\(pairs)) AS TEXT)"
    }

    /// The order rows were inserted in, for a table without a key of its own (SQLite's `rowid`, PostgreSQL's
    /// physical position, which follows insertion for tables that are only appended to and deleted from).
    public var insertionOrder: String { self == .sqlite ? "rowid" : "ctid" }

    /// The group's values of `expression` joined by `separator` (a literal).
    public func groupConcat(_ expression: String, separator: String) -> String {
        self == .sqlite ? "group_concat(\(expression), \(separator))" : "string_agg(\(expression), \(separator))"
    }
}
