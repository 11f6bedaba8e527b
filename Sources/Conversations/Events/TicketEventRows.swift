import CRM
import Storage

/// The feed rows written from code, in the transaction of the change: a ticket's opening and each new message on it.
/// They are the changes every inbound message makes, and on SQLite a statement that fires a trigger also keeps a
/// journal of every page it changes; the other changes (a ticket's new version, a delivery status, a note, a CSAT
/// answer, an SLA breach) keep their triggers (``TicketEventsMigration``).
enum TicketEventRows {
    /// A new message on ticket `ticketID` at `at`, under the ticket's outlet at this moment (CRM's
    /// `ticket_outlet_links`). One row of VALUES, so the statement writes one row and needs no journal of its own.
    static func message(ticketID: Int64, at: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO ticket_events (ticket_id, kind, fid, oid, at)
            VALUES (?1, 'message', (SELECT fid FROM ticket_outlet_links WHERE ticket_id = ?1),
                    (SELECT oid FROM ticket_outlet_links WHERE ticket_id = ?1), ?2)
            """, [.integer(ticketID), .integer(at)])
    }
}

/// Records each new ticket's `opened` event (a new ticket has no outlet yet).
public struct TicketOpenedEvents: TicketOpeningObserver {
    public init() {}

    public func ticketOpened(_ ticket: OpenedTicket, in connection: any DatabaseConnection) throws {
        try connection.run("INSERT INTO ticket_events (ticket_id, kind, at) VALUES (?, 'opened', ?)",
                           [.integer(ticket.id), .integer(ticket.at)])
    }
}
