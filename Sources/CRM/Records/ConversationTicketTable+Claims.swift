import Storage

/// The owner's API for the collision-control columns of `tickets`: the version a change is checked against, and the
/// soft claim (`claimed_by`, `claimed_until`).
extension ConversationTicketTable {
    /// A live ticket's version, claim and archive time, nil when there is no such ticket.
    package static func guardState(_ id: Int64, in c: any DatabaseConnection) throws
        -> (version: Int64, claimedBy: String?, claimedUntil: Int64?, archivedAt: Int64?)? {
        try c.queryOne("""
            SELECT version, claimed_by, claimed_until, archived_at FROM tickets WHERE id = ? AND deleted_at IS NULL
            """, [.integer(id)]).map {
            ($0.int64("version") ?? 0, $0.string("claimed_by"), $0.int64("claimed_until"), $0.int64("archived_at"))
        }
    }

    /// After a change by `actor`: one new version unless the change already counted one (the version is no longer
    /// `version`), and the claim renewed until `renewedUntil` when `actor` holds it.
    package static func counted(_ id: Int64, from version: Int64, by actor: String, now: Int64, renewedUntil: Int64,
                                in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE tickets SET version = CASE WHEN version = ?1 THEN version + 1 ELSE version END,
                updated_at = CASE WHEN updated_at > ?2 THEN updated_at ELSE ?2 END,
                claimed_until = CASE WHEN claimed_by = ?3 AND claimed_until > ?2 THEN ?4 ELSE claimed_until END
            WHERE id = ?5
            """, [.integer(version), .integer(now), .text(actor), .integer(renewedUntil), .integer(id)])
    }

    /// Sets (or, with nil, ends) the claim, as a new version of the ticket.
    package static func setClaim(_ id: Int64, holder: String?, until: Int64?, in c: any DatabaseConnection) throws {
        try c.run("UPDATE tickets SET claimed_by = ?, claimed_until = ?, version = version + 1 WHERE id = ?",
                  [SQLValue(holder), SQLValue(until), .integer(id)])
    }

    /// Who holds a live claim on ticket `id` at `now`, nil when nobody does.
    package static func claimHolder(_ id: Int64, now: Int64, in c: any DatabaseConnection) throws -> String? {
        try c.queryOne("SELECT claimed_by FROM tickets WHERE id = ? AND claimed_until > ?",
                       [.integer(id), .integer(now)])?.string("claimed_by")
    }
}
