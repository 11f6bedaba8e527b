import Storage

/// The owner's reads for assigning conversation tickets: what an assignee has open, and where a ticket belongs.
extension ConversationTicketTable {
    /// Open and pending conversation tickets per assignee in `assignees` (an assignee with none is missing).
    package static func openCounts(of assignees: [String], in c: any DatabaseConnection) throws -> [String: Int] {
        guard !assignees.isEmpty else { return [:] }
        let mine = SQLCondition.membership("assignee", assignees)
        var counts: [String: Int] = [:]
        for row in try c.query("""
            SELECT assignee, count(*) AS n FROM tickets
            WHERE \(mine.sql) AND status IN ('open', 'pending') AND channel IS NOT NULL AND deleted_at IS NULL
            GROUP BY assignee
            """, mine.parameters) {
            if let assignee = row.string("assignee") { counts[assignee] = row.int("n") ?? 0 }
        }
        return counts
    }

    /// The open and pending conversation tickets assigned to `assignee`, oldest first.
    package static func openTickets(of assignee: String, in c: any DatabaseConnection) throws -> [Int64] {
        try c.query("""
            SELECT id FROM tickets
            WHERE assignee = ? AND status IN ('open', 'pending') AND channel IS NOT NULL AND deleted_at IS NULL
            ORDER BY id
            """, [.text(assignee)]).compactMap { $0.int64("id") }
    }

    /// The franchise and outlet a ticket is linked to (both nil before it is).
    package static func outlet(of id: Int64, in c: any DatabaseConnection) throws -> (fid: String?, oid: String?) {
        let row = try c.queryOne("SELECT fid, oid FROM tickets WHERE id = ?", [.integer(id)])
        return (row?.string("fid"), row?.string("oid"))
    }
}
