import Storage

/// Many rows into one table in a few statements (`INSERT … VALUES (…), (…), …`), as a rollup batch writes them: one
/// statement per row would be most of the batch's work.
enum RowInserts {
    /// Rows per statement: within either engine's limit of bound parameters for the widest row written.
    static let rowsPerStatement = 100

    /// Inserts `rows` (values in `columns` order) into `table`; `conflict` is the statement's `ON CONFLICT` clause
    /// (a row's key appears once in `rows`: one statement cannot change a row twice).
    static func insert(into table: String, columns: [String], rows: [[SQLValue]], conflict: String,
                       in c: any DatabaseConnection) throws {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
            try c.run("""
                INSERT INTO \(table) (\(columns.joined(separator: ", ")))
                VALUES \(Array(repeating: row, count: chunk.count).joined(separator: ", ")) ON CONFLICT \(conflict)
                """, chunk.flatMap { $0 })
        }
    }
}
