/// Column names of one result set, shared by all its rows so each row only stores values.
final class ResultColumns: Sendable {
    let names: [String]
    let indexByName: [String: Int]

    init(names: [String]) {
        self.names = names
        var indexByName = [String: Int]()
        // With duplicate names (e.g. a join selecting two `id`s) the first column wins, as in most
        // SQLite wrappers; alias columns in SQL to reach the others by name.
        for (index, name) in names.enumerated() where indexByName[name] == nil {
            indexByName[name] = index
        }
        self.indexByName = indexByName
    }
}

/// One result row. Values are copied out of SQLite, so a row stays valid after the statement is reused.
///
/// The typed accessors are strict: they return nil for NULL, for a missing column and for a value
/// of another storage class (no text-to-number parsing), so a schema mistake shows up as nil
/// instead of a silently converted value. The exceptions are the lossless ones noted below.
public struct Row: Sendable {
    private let columns: ResultColumns
    /// Values in column order.
    public let values: [SQLValue]

    init(columns: ResultColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// Column names in result order.
    public var columnNames: [String] { columns.names }

    /// True when the result has a column with this name.
    public func contains(_ column: String) -> Bool {
        columns.indexByName[column] != nil
    }

    /// The value of the named column; `.null` when there is no such column (use ``contains(_:)``
    /// to tell the two apart).
    public subscript(_ column: String) -> SQLValue {
        guard let index = columns.indexByName[column] else { return .null }
        return values[index]
    }

    /// The value at a zero-based column position.
    public subscript(_ index: Int) -> SQLValue {
        values[index]
    }

    /// Text values only.
    public func string(_ column: String) -> String? {
        if case .text(let value) = self[column] { return value }
        return nil
    }

    /// Integer values; also a real that holds an exact integer (SQLite may hand back 3.0 for
    /// arithmetic on REAL columns).
    public func int64(_ column: String) -> Int64? {
        switch self[column] {
        case .integer(let value):
            return value
        case .real(let value):
            return Int64(exactly: value)
        default:
            return nil
        }
    }

    /// Like ``int64(_:)``; nil if the value does not fit in `Int`.
    public func int(_ column: String) -> Int? {
        int64(column).flatMap { Int(exactly: $0) }
    }

    /// Real values; also integers, converted to the nearest `Double`.
    public func double(_ column: String) -> Double? {
        switch self[column] {
        case .real(let value):
            return value
        case .integer(let value):
            return Double(value)
        default:
            return nil
        }
    }

    /// Blob values only. An empty blob is `[]`, distinct from NULL.
    public func blob(_ column: String) -> [UInt8]? {
        if case .blob(let value) = self[column] { return value }
        return nil
    }

    /// Integers: 0 is false, anything else true (SQLite's own truth rule for integers).
    public func bool(_ column: String) -> Bool? {
        if case .integer(let value) = self[column] { return value != 0 }
        return nil
    }
}
