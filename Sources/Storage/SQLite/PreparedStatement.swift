import CSQLite

/// A compiled statement plus the binding and row-reading code around it.
///
/// A thin non-owning view: ``SQLiteConnection`` decides when the handle is reset or finalized
/// (cached statements are reused, uncached ones finalized after one use).
struct PreparedStatement {
    let handle: OpaquePointer
    let sql: String
    /// The result's column names, read once per compiled statement rather than once per query: building the
    /// name-to-index table was ~5 % of the inbound applier's profile.
    private let columnNames = ColumnNameCache()

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    /// Binds `values` to the `?` placeholders in order, after checking the count matches: SQLite
    /// itself would leave missing parameters NULL, which hides bugs. Text and blob bytes are copied into `bytes` and
    /// bound from there (``BoundBytes``): keep them unchanged until the statement is reset.
    func bind(_ values: [SQLValue], database: OpaquePointer, bytes: BoundBytes) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw SQLiteError.parameterCountMismatch(expected: expected, actual: values.count, sql: sql)
        }
        bytes.reset()
        // By index, each value read in place: copying every value out of the array (a retain and a release per text)
        // was a visible share of binding.
        for offset in values.indices {
            let status = bind(values[offset], at: Int32(offset + 1), bytes: bytes)
            guard status == SQLITE_OK else {
                throw SQLiteError.executionFailed(code: status, message: String(cString: sqlite3_errmsg(database)))
            }
        }
    }

    private func bind(_ value: SQLValue, at index: Int32, bytes: BoundBytes) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(handle, index)
        case .integer(let integer):
            return sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            return sqlite3_bind_double(handle, index, real)
        case .text(let text):
            // A nil pointer would bind NULL, so empty text gets an explicit empty C string.
            guard !text.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, gw_sqlite_transient()) }
            // A native string's bytes as they are; a copy only for one that is not stored contiguously as UTF-8.
            if let status = text.utf8.withContiguousStorageIfAvailable({ bind(text: $0, at: index, bytes: bytes) }) {
                return status
            }
            var contiguous = text
            return contiguous.withUTF8 { bind(text: $0, at: index, bytes: bytes) }
        case .blob(let blob):
            // Same NULL hazard as text: an empty blob is bound as a zero-length blob.
            guard !blob.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
            let copy = blob.withUnsafeBytes { bytes.copy($0) }
            return sqlite3_bind_blob64(handle, index, copy, UInt64(blob.count), nil)
        }
    }

    private func bind(text: UnsafeBufferPointer<UInt8>, at index: Int32, bytes: BoundBytes) -> Int32 {
        let copy = bytes.copy(UnsafeRawBufferPointer(text))
        // Explicit byte length: the text may contain NUL characters.
        return sqlite3_bind_text64(handle, index, copy.assumingMemoryBound(to: CChar.self), UInt64(text.count), nil,
                                   UInt8(SQLITE_UTF8))
    }

    /// Steps until the statement is done, collecting at most `limit` rows. A read-only statement
    /// stops at the limit; one that writes (e.g. `INSERT ... RETURNING`) is stepped to the end so
    /// the write completes.
    func readRows(limit: Int = .max, database: OpaquePointer) throws -> [Row] {
        var rows = [Row]()
        var columns: ResultColumns?
        while true {
            let status = sqlite3_step(handle)
            switch status {
            case SQLITE_ROW:
                guard rows.count < limit else {
                    if sqlite3_stmt_readonly(handle) != 0 { return rows }
                    continue
                }
                let resultColumns = columns ?? cachedColumnNames()
                columns = resultColumns
                rows.append(readRow(columns: resultColumns))
            case SQLITE_DONE:
                return rows
            default:
                throw SQLiteError.executionFailed(code: status, message: String(cString: sqlite3_errmsg(database)))
            }
        }
    }

    /// Runs the statement to completion, discarding any rows.
    func runToCompletion(database: OpaquePointer) throws {
        _ = try readRows(limit: 0, database: database)
    }

    /// Makes a cached statement ready for its next use and drops references to bound buffers.
    func resetForReuse() {
        // The return value repeats the last step's error, which has already been reported.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func finalize() {
        sqlite3_finalize(handle)
    }

    private func cachedColumnNames() -> ResultColumns {
        // SQLite silently recompiles a statement after a schema change, and `SELECT *` may then have other columns.
        let recompilations = sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let known = columnNames.columns, columnNames.recompilations == recompilations { return known }
        let columns = readColumnNames()
        columnNames.columns = columns
        columnNames.recompilations = recompilations
        return columns
    }

    private func readColumnNames() -> ResultColumns {
        let count = sqlite3_column_count(handle)
        let names = (0..<count).map { index in
            sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
        }
        return ResultColumns(names: names)
    }

    private func readRow(columns: ResultColumns) -> Row {
        let count = sqlite3_column_count(handle)
        var values = [SQLValue]()
        values.reserveCapacity(Int(count))
        for index in 0..<count {
            values.append(readValue(at: index))
        }
        return Row(columns: columns, values: values)
    }

    private func readValue(at index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            // Fetch the pointer before the length, as SQLite documents, since fetching text may convert.
            guard let characters = sqlite3_column_text(handle, index) else { return .text("") }
            let length = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeBufferPointer(start: characters, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(handle, index) else { return .blob([]) }
            let length = Int(sqlite3_column_bytes(handle, index))
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: length)))
        default:
            return .null
        }
    }
}

/// The column names last read for one compiled statement (owned by its ``PreparedStatement``, used on the
/// connection's thread only).
private final class ColumnNameCache {
    var columns: ResultColumns?
    /// `SQLITE_STMTSTATUS_REPREPARE` when `columns` were read.
    var recompilations: Int32 = 0
}
