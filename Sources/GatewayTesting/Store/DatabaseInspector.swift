import Storage

/// Reads what the gateway wrote so tests can check what was (and was not) written: the SQLite file opened read-only,
/// or a query through the gateway's own database (a PostgreSQL server's).
package enum DatabaseInspector {
    package static func rows(path: String, sql: String, _ params: [SQLValue] = []) throws -> [[String: String]] {
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        return try connection.query(sql, params).map(strings)
    }

    package static func rows(database: any Database, sql: String, _ params: [SQLValue] = []) throws
        -> [[String: String]] {
        try database.read { connection in try connection.query(sql, params).map(strings) }
    }

    /// A row's values as text by column; NULL columns left out.
    private static func strings(_ row: Row) -> [String: String] {
        var out: [String: String] = [:]
        for column in row.columnNames {
            switch row[column] {
            case .null: out[column] = nil
            case .integer(let i): out[column] = String(i)
            case .real(let d): out[column] = String(d)
            case .text(let s): out[column] = s
            case .blob(let b): out[column] = String(decoding: b, as: UTF8.self)
            }
        }
        return out
    }
}
