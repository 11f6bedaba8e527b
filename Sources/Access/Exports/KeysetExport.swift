import GatewayKit
import Storage

/// An ``ExportTable`` read with keyset pagination: the owning module writes the query (select list, tables, the
/// period's condition) and names its key, fid and oid columns; each page is one short read on a read connection —
/// `key > cursor … ORDER BY key LIMIT n` — so no connection or snapshot is held between pages and the writer is never
/// waited for. Rows written while an export runs appear in it when their key comes after the cursor.
public struct KeysetExport: ExportTable {
    /// How a column's values are written.
    public enum Cell: Sendable {
        /// Text people typed or chose: neutralized when it would read as a formula.
        case text
        /// An integer the store keeps (an id, a count, a flag): written as is.
        case number
        /// Unix milliseconds, written as RFC 3339 UTC.
        case time
    }

    public let kind: String
    public let columns: [String]
    public let timeColumn: String
    private let cells: [Cell]
    private let query: @Sendable (SQLDialect) -> String
    private let bounds: @Sendable (ReportPeriod) -> [SQLValue]
    private let key: String
    private let outlet: (fid: String, oid: String)?
    private let database: any Database

    /// - Parameters:
    ///   - columns: the header names with how each is written, in the order of `select`'s result columns.
    ///   - select: `SELECT … FROM … WHERE <the period's condition>` in the reading connection's dialect — the
    ///     export appends the cursor, scope, order and limit. Write the period's column as `dialect.unindexed(column)`
    ///     (`+m.created_at >= ?` on SQLite): that keeps SQLite from reading the rows through an index on the time and
    ///     sorting each page by key — work that grows with the period on every page — and has it walk the key in
    ///     order instead, so a page costs the rows it steps over. (A short period of a large table is therefore one
    ///     pass over the table's keys after the cursor.)
    ///   - bounds: the values of the period condition's `?` placeholders.
    ///   - key: the unique integer column the pages follow (`m.id`).
    ///   - outlet: the columns holding each row's franchise and outlet; nil for rows without one (then only
    ///     unrestricted callers may export them).
    public init(kind: String, timeColumn: String, columns: [(String, Cell)],
                select: @escaping @Sendable (SQLDialect) -> String,
                bounds: @escaping @Sendable (ReportPeriod) -> [SQLValue], key: String,
                outlet: (fid: String, oid: String)?, database: any Database) {
        self.kind = kind
        self.timeColumn = timeColumn
        self.columns = columns.map(\.0)
        self.cells = columns.map(\.1)
        self.query = select
        self.bounds = bounds
        self.key = key
        self.outlet = outlet
        self.database = database
    }

    public var isScoped: Bool { outlet != nil }

    /// Bounds for `time >= ? AND time < ?` on a unix-millisecond column: local midnight at the first day and after
    /// the last.
    public static let instants: @Sendable (ReportPeriod) -> [SQLValue] = { [.integer($0.start), .integer($0.end)] }
    /// Bounds for `day BETWEEN ? AND ?` on a `YYYY-MM-DD` column: the first and the last day.
    public static let days: @Sendable (ReportPeriod) -> [SQLValue] = {
        [.text($0.from.description), .text($0.to.description)]
    }

    public func page(_ request: ExportRequest, after cursor: Int64, limit: Int,
                     into writer: inout CSVWriter) throws -> Int64? {
        var tail = " AND \(key) > ?"
        var parameters = bounds(request.period) + [.integer(cursor)]
        if let scope = outlet.flatMap({ request.scope.condition(fid: $0.fid, oid: $0.oid) }) {
            tail += " AND " + scope.sql
            parameters += scope.parameters
        } else if outlet == nil && !request.scope.isUnrestricted {
            return nil  // the route refuses this; never rows the caller may not see
        }
        tail += " ORDER BY \(key) LIMIT ?"
        parameters.append(.integer(Int64(limit)))
        let rows = try database.read { [query] c in try c.query(query(c.dialect) + tail, parameters) }
        for row in rows { write(row, into: &writer) }
        return rows.last.flatMap { $0.values.first }.flatMap { if case .integer(let id) = $0 { id } else { nil } }
    }

    /// The key must be the first result column: it is where the next page starts.
    private func write(_ row: Row, into writer: inout CSVWriter) {
        for (value, cell) in zip(row.values, cells) {
            switch (value, cell) {
            case (.integer(let number), .time): writer.time(number)
            case (.integer(let number), _): writer.number(number)
            case (.real(let number), _): writer.decimal(number)
            case (.text(let text), _): writer.text(text)
            case (.null, _), (.blob, _): writer.text(nil)
            }
        }
        writer.endRecord()
    }
}
