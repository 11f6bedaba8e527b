import Delivery
import Storage

/// The owner's API for a ticket's outlet columns (`fid`, `oid`, `outlet_status`): what outlet linking reads of a
/// ticket and sets on it. The rules (when a ticket is linked, ambiguous or unlinked) live with the retail module.
public enum TicketOutletColumns {
    /// What outlet resolution needs to know about a ticket.
    public struct Ticket: Sendable, Equatable {
        public let id: Int64
        public let contactID: String?
        public let conversationKey: String?
        /// The stored ticket status (a workflow status name for conversation tickets).
        public let status: String?
        public let outletStatus: TicketOutletStatus?
        public let oid: String?
        public let isDeleted: Bool
        /// The ticket's language (from the classifier), nil when none was recognised.
        public let language: String?
    }

    package static func find(_ id: Int64, in c: any DatabaseConnection) throws -> Ticket? {
        try c.queryOne("""
            SELECT id, contact_id, conversation_key, status, outlet_status, oid, deleted_at, language
            FROM tickets WHERE id = ?
            """, [.integer(id)]).map { row in
            guard let id = row.int64("id") else { throw StoreConsistencyError(detail: "a tickets row is incomplete") }
            return Ticket(id: id, contactID: row.string("contact_id"), conversationKey: row.string("conversation_key"),
                          status: row.string("status"),
                          outletStatus: row.string("outlet_status").flatMap(TicketOutletStatus.init(rawValue:)),
                          oid: row.string("oid"), isDeleted: row.int64("deleted_at") != nil,
                          language: row.string("language"))
        }
    }

    /// Records that resolution found nothing. Not a change of the ticket's content (no version, no history): the
    /// first resolution of a new ticket ends here most of the time.
    package static func markUnlinked(_ id: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE tickets SET outlet_status = 'unlinked' WHERE id = ?", [.integer(id)])
    }

    /// Sets the outlet (a new version of the record).
    package static func setLinked(_ id: Int64, fid: String, oid: String, now: Int64,
                                  in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE tickets SET fid = ?, oid = ?, outlet_status = 'linked', updated_at = ?, version = version + 1
            WHERE id = ?
            """, [.text(fid), .text(oid), .integer(now), .integer(id)])
    }

    /// Marks the ticket ambiguous (a new version of the record).
    package static func setAmbiguous(_ id: Int64, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE tickets SET outlet_status = 'ambiguous', updated_at = ?, version = version + 1 WHERE id = ?",
                  [.integer(now), .integer(id)])
    }
}
