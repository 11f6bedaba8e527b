import Access
import Storage

/// Whether a contact lies inside a caller's franchise/outlet scope: it speaks for an outlet of the scope
/// (`contact_outlet`) or has a live ticket linked to one. Contacts outside it do not exist for the caller (404).
public struct ContactVisibility: Sendable {
    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// True for every contact when `scope` is unrestricted (without a read). Blocking read otherwise.
    public func isVisible(_ contactID: String, to scope: AccessScope) throws -> Bool {
        guard let outlets = scope.condition(fid: "o.fid", oid: "o.oid"),
              let tickets = scope.condition(fid: "t.fid", oid: "t.oid") else { return true }
        return try database.read { c in
            try c.queryOne("""
                SELECT 1 AS visible WHERE EXISTS (
                    SELECT 1 FROM contact_outlet co JOIN outlets o ON o.oid = co.oid
                    WHERE co.contact_id = ? AND \(outlets.sql)
                ) OR EXISTS (
                    SELECT 1 FROM contact_ticket_outlets t WHERE t.contact_id = ? AND \(tickets.sql)
                )
                """, [.text(contactID)] + outlets.parameters + [.text(contactID)] + tickets.parameters) != nil
        }
    }
}
