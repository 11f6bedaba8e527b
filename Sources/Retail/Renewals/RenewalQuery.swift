import GatewayKit
import Storage

/// A page of renewal cycles for `GET /v1/renewals`: filters, then `(due_date, id)` order with a keyset cursor.
public struct RenewalQuery: Sendable, Equatable {
    /// Largest page.
    public static let maxLimit = 500

    public var status: RenewalStatus?
    /// Only cycles due strictly before this day.
    public var dueBefore: CalendarDate?
    public var oid: String?
    /// A further limit set by the caller's code on the cycles' `fid`/`oid` (the caller's scope).
    public var within: SQLCondition?
    public var limit = 50
    /// Continue after this cycle (the previous page's `next_cursor`).
    public var after: Cursor?

    public init() {}

    /// Where a page ended: `<due_date>_<id>`.
    public struct Cursor: Sendable, Equatable, CustomStringConvertible {
        public let dueDate: CalendarDate
        public let id: Int64

        public init?(_ text: String) {
            let parts = text.split(separator: "_", omittingEmptySubsequences: false)
            guard parts.count == 2, let date = CalendarDate(parts[0]), let id = Int64(parts[1]), id > 0 else {
                return nil
            }
            dueDate = date
            self.id = id
        }

        init(dueDate: CalendarDate, id: Int64) {
            self.dueDate = dueDate
            self.id = id
        }

        public var description: String { "\(dueDate)_\(id)" }
    }

    /// The page and the cursor of the next one (nil on the last).
    public func page(in connection: any DatabaseConnection) throws -> (items: [RenewalRecord], nextCursor: Cursor?) {
        var conditions: [String] = []
        var params: [SQLValue] = []
        if let status { conditions.append("status = ?"); params.append(.text(status.rawValue)) }
        if let dueBefore { conditions.append("due_date < ?"); params.append(.text(dueBefore.description)) }
        if let oid { conditions.append("oid = ?"); params.append(.text(oid)) }
        if let within { conditions.append(within.sql); params += within.parameters }
        if let after {
            conditions.append("(due_date, id) > (?, ?)")
            params += [.text(after.dueDate.description), .integer(after.id)]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try connection.query("""
            SELECT \(RenewalRecord.columns) FROM renewals \(filter) ORDER BY due_date, id LIMIT ?
            """, params + [.integer(Int64(limit + 1))])
        var items = rows.prefix(limit).compactMap { row in row.int64("id").map { RenewalRecord(id: $0, row: row) } }
        let ids = "[" + items.map { String($0.id) }.joined(separator: ",") + "]"
        let attempts = Dictionary(grouping: try connection.query("""
            SELECT \(RenewalRecord.attemptColumns) FROM renewal_attempts
            WHERE renewal_id IN (\(connection.dialect.jsonArrayElements(as: "INTEGER")))
            ORDER BY renewal_id, offset_days, phone
            """, [.text(ids)]), by: { $0.int64("renewal_id") ?? 0 })
        for index in items.indices { items[index].attempts = attempts[items[index].id] ?? [] }
        guard rows.count > limit, let last = items.last,
              let due = last.row.string("due_date").flatMap({ CalendarDate($0) }) else { return (items, nil) }
        return (items, Cursor(dueDate: due, id: last.id))
    }
}
