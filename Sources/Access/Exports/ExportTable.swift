import GatewayKit

/// One kind of CSV export (`GET /v1/exports/{kind}.csv`): its columns and its rows, read page by page so an export of
/// any size needs one page of memory. The module that owns the rows provides it (its SQL stays there); the exports
/// route lists the kinds it serves, so a module adds a kind by providing one more table (see ``KeysetExport`` for
/// the usual shape).
public protocol ExportTable: Sendable {
    /// The name in the path: `tickets` for `/v1/exports/tickets.csv`.
    var kind: String { get }
    /// The header line, in column order. Stable: clients and spreadsheets depend on the names.
    var columns: [String] { get }
    /// The column whose time (or date) puts a row in the requested period.
    var timeColumn: String { get }
    /// Whether the rows carry an outlet, so that a caller limited to some outlets can be given theirs; a table without
    /// one is for unrestricted callers only.
    var isScoped: Bool { get }

    /// Writes up to `limit` rows of `request` that come after `cursor` in the table's key order (0 = from the start),
    /// each as one CSV record; returns the key of the last row written, or nil when no row came after `cursor`.
    func page(_ request: ExportRequest, after cursor: Int64, limit: Int, into writer: inout CSVWriter) throws -> Int64?
}

/// What an export covers: the days, and whose rows the caller may see.
public struct ExportRequest: Sendable {
    public let period: ReportPeriod
    public let scope: AccessScope

    public init(period: ReportPeriod, scope: AccessScope) {
        self.period = period
        self.scope = scope
    }
}
