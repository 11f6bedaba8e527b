import Storage

/// A place in the order a log written side by side is read in: by writing transaction, then by id — the inbox log the
/// normalizer reads, and the desk's change feed (`ticket_events`, whose id column is `seq`) live screens follow.
///
/// On PostgreSQL the appends of every instance commit side by side, so a later id may commit before an earlier one; a
/// reader following ids alone could pass a row still to commit and never see it. Each row records the
/// transaction that wrote it (`txid`, an `xid8`), and a reader reads only rows whose transaction is below the
/// oldest one still running (`pg_snapshot_xmin` of its snapshot): every transaction below that has ended, so no row can
/// still appear before a position once a read has passed it. A transaction held open elsewhere on the server holds the
/// reads back (the lag grows) but loses nothing. The embedded log's one writer commits in id order: its rows all have
/// transaction 0, and its statements compare ids alone, as they always did.
public struct LogPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The writing transaction (PostgreSQL's `pg_current_xact_id()`); 0 on the embedded log and for rows logged on
    /// PostgreSQL before the log recorded transactions.
    public let transaction: Int64
    public let id: Int64

    /// Before every logged delivery.
    public static let start = LogPosition(transaction: 0, id: 0)

    public init(transaction: Int64, id: Int64) {
        self.transaction = transaction
        self.id = id
    }

    public static func < (lhs: LogPosition, rhs: LogPosition) -> Bool {
        (lhs.transaction, lhs.id) < (rhs.transaction, rhs.id)
    }

    public var description: String { "(\(transaction), \(id))" }
}

/// The log's statements around a position, in each engine's form; `id` names the log's id column where it has
/// another name.
extension LogPosition {
    /// The condition "logged after this position" and its parameters.
    public func later(_ dialect: SQLDialect, id: String = "id") -> (sql: String, parameters: [SQLValue]) {
        switch dialect {
        case .sqlite: return ("\(id) > ?", [.integer(self.id)])
        case .postgres:
            return ("(txid, \(id)) > (CAST(? AS xid8), ?)", [.text(String(transaction)), .integer(self.id)])
        }
    }

    /// The condition "logged at or before this position" and its parameters.
    func through(_ dialect: SQLDialect) -> (sql: String, parameters: [SQLValue]) {
        switch dialect {
        case .sqlite: return ("id <= ?", [.integer(id)])
        case .postgres: return ("(txid, id) <= (CAST(? AS xid8), ?)", [.text(String(transaction)), .integer(id)])
        }
    }

    /// The reading order, for `ORDER BY`; `descending` for the newest first.
    public static func order(_ dialect: SQLDialect, id: String = "id", descending: Bool = false) -> String {
        let direction = descending ? " DESC" : ""
        return dialect == .postgres ? "txid\(direction), \(id)\(direction)" : id + direction
    }

    /// The writing transaction as a 64-bit integer column named `txid`, for `SELECT`.
    public static func transactionColumn(_ dialect: SQLDialect) -> String {
        dialect == .postgres ? "CAST(CAST(txid AS TEXT) AS BIGINT) AS txid" : "txid"
    }

    /// `AND` the condition that no transaction before the row's can still commit: on PostgreSQL, its transaction is
    /// below the oldest one still running in the statement's snapshot; nothing on the embedded log, whose committed
    /// rows all qualify.
    public static func andSettled(_ dialect: SQLDialect) -> String {
        dialect == .postgres ? " AND txid < pg_snapshot_xmin(pg_current_snapshot())" : ""
    }
}
