import Storage

/// Opens the gateway's SQLite file read-only so tests can check what was (and was not) written.
package enum DatabaseInspector {
    package static func rows(path: String, sql: String, _ params: [SQLValue] = []) throws -> [[String: String]] {
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        return try connection.query(sql, params).map { row in
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
}
