import Storage

/// One statement's SQL text for each engine, built once. A statement whose text names a dialect-specific form
/// (`json_each`, `FOR UPDATE SKIP LOCKED`, …) would otherwise be a new string on every call, which misses the SQLite
/// statement cache's fast path (it finds a statement by the identity of the string it was asked for) and makes the
/// cache hash the whole text each time; a stored string is the same value on every call.
struct DialectStatement: Sendable {
    private let sqlite: String
    private let postgres: String

    init(_ text: (SQLDialect) -> String) {
        sqlite = text(.sqlite)
        postgres = text(.postgres)
    }

    subscript(dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: return sqlite
        case .postgres: return postgres
        }
    }
}
