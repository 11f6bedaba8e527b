import CRM
import Conversations
import Delivery
import Storage

/// The SQL of a ticket's outlet link: `tickets.fid`, `oid`, `outlet_status` and the `ticket_outlet_candidates`
/// offered to the customer. Every value is a bound parameter.
enum TicketOutletTable {
    /// What resolution needs to know about a ticket.
    struct Ticket: Sendable, Equatable {
        let id: Int64
        let contactID: String?
        let conversationKey: String?
        /// The stored ticket status (a ``TicketStatus`` name for conversation tickets).
        let status: String?
        let outletStatus: TicketOutletStatus?
        let oid: String?
        let isDeleted: Bool
        /// The ticket's language (from the classifier), nil when none was recognised.
        let language: String?

        /// Open or pending, not deleted: a ticket a customer message may still resolve.
        var isActive: Bool {
            !isDeleted && (status == TicketStatus.open.rawValue || status == TicketStatus.pending.rawValue)
        }
    }

    static func find(_ id: Int64, in c: any DatabaseConnection) throws -> Ticket? {
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
    static func markUnlinked(_ id: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE tickets SET outlet_status = 'unlinked' WHERE id = ?", [.integer(id)])
    }

    /// Sets the outlet (a new version of the record).
    static func setLinked(_ id: Int64, fid: String, oid: String, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE tickets SET fid = ?, oid = ?, outlet_status = 'linked', updated_at = ?, version = version + 1
            WHERE id = ?
            """, [.text(fid), .text(oid), .integer(now), .integer(id)])
    }

    /// Marks the ticket ambiguous and remembers the outlets offered to the customer.
    static func setAmbiguous(_ id: Int64, offered oids: [String], now: Int64, in c: any DatabaseConnection) throws {
        try c.run("UPDATE tickets SET outlet_status = 'ambiguous', updated_at = ?, version = version + 1 WHERE id = ?",
                  [.integer(now), .integer(id)])
        for oid in oids {
            try c.run("INSERT OR IGNORE INTO ticket_outlet_candidates (ticket_id, oid) VALUES (?, ?)",
                      [.integer(id), .text(oid)])
        }
    }

    /// True when `oid` was offered to the customer for ticket `id`.
    static func wasOffered(_ oid: String, ticketID id: Int64, in c: any DatabaseConnection) throws -> Bool {
        try c.queryOne("SELECT 1 AS found FROM ticket_outlet_candidates WHERE ticket_id = ? AND oid = ?",
                       [.integer(id), .text(oid)]) != nil
    }
}
