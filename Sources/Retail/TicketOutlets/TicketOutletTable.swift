import CRM
import Conversations
import Delivery
import Storage

/// The outlets offered to a customer whose ticket is ambiguous (`ticket_outlet_candidates`). The ticket's own outlet
/// columns belong to the CRM module (``TicketOutletColumns``). Every value is a bound parameter.
enum TicketOutletTable {
    /// Remembers the outlets offered to the customer for ticket `id`.
    static func rememberOffered(_ oids: [String], ticketID id: Int64, in c: any DatabaseConnection) throws {
        for oid in oids {
            try c.run("""
                INSERT INTO ticket_outlet_candidates (ticket_id, oid) VALUES (?, ?)
                ON CONFLICT (ticket_id, oid) DO NOTHING
                """, [.integer(id), .text(oid)])
        }
    }

    /// True when `oid` was offered to the customer for ticket `id`.
    static func wasOffered(_ oid: String, ticketID id: Int64, in c: any DatabaseConnection) throws -> Bool {
        try c.queryOne("SELECT 1 AS found FROM ticket_outlet_candidates WHERE ticket_id = ? AND oid = ?",
                       [.integer(id), .text(oid)]) != nil
    }
}
