import GatewayKit
import Storage

/// The owner's API for archiving conversation tickets.
extension ConversationTicketTable {
    /// Up to `limit` resolved or closed conversation tickets, not archived, last resolved or closed before `cutoff`.
    package static func archivable(before cutoff: Int64, limit: Int, in c: any DatabaseConnection) throws -> [Int64] {
        try c.query("""
            SELECT id FROM tickets
            WHERE archived_at IS NULL AND channel IS NOT NULL AND status IN ('resolved', 'closed')
                AND coalesce(resolved_at, 0) < ? AND coalesce(closed_at, 0) < ? AND deleted_at IS NULL
            ORDER BY id LIMIT ?
            """, [.integer(cutoff), .integer(cutoff), .integer(Int64(limit))]).compactMap { $0.int64("id") }
    }

    /// Archives ticket `id` at `now` (a new version of it).
    package static func archive(_ id: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE tickets SET archived_at = ?, version = version + 1 WHERE id = ? AND archived_at IS NULL",
                  [.integer(now), .integer(id)])
    }

}

extension RecordQuery {
    /// Limits a ticket listing to `scope` (the caller's outlets; nil = all) and by `archived`: absent or `false` →
    /// tickets not archived, `true` → archived ones, `all` → both. The 400 naming `archived` for anything else.
    public mutating func limitTickets(to scope: SQLCondition?, archived: String?) -> GatewayError? {
        let archive: SQLCondition?
        switch archived {
        case nil, "false": archive = SQLCondition(sql: "archived_at IS NULL", parameters: [])
        case "true": archive = SQLCondition(sql: "archived_at IS NOT NULL", parameters: [])
        case "all": archive = nil
        default: return .validation([FieldError(field: "archived", message: "must be true, false or all")])
        }
        within = [scope, archive].compactMap { $0 }.joined()
        return nil
    }
}
