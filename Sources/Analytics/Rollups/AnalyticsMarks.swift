import CRM
import Storage

/// The queue of tickets whose figures are out of date (`analytics_dirty_tickets`), as other modules' changes fill it
/// from code: a new conversation ticket is marked in the transaction that inserts it (``AnalyticsTicketMarks``, which
/// the app hands to the modules that insert tickets). Changes of existing tickets and CSAT rows are marked by triggers.
public enum AnalyticsMarks {
    /// Marks ticket `id`, renewing a mark already there (a pass reading the ticket keeps a renewed mark for the next
    /// pass, see ``AnalyticsRollups``).
    public static func mark(ticket id: Int64, in connection: any DatabaseConnection) throws {
        try connection.run("""
            INSERT INTO analytics_dirty_tickets (ticket_id) VALUES (?)
            ON CONFLICT (ticket_id) DO UPDATE SET renewal = analytics_dirty_tickets.renewal + 1
            """, [.integer(id)])
    }
}

/// Queues every new conversation ticket for the figures; bot and API tickets, without a channel, are not counted.
public struct AnalyticsTicketMarks: TicketOpeningObserver {
    public init() {}

    public func ticketOpened(_ ticket: OpenedTicket, in connection: any DatabaseConnection) throws {
        if ticket.channel != nil { try AnalyticsMarks.mark(ticket: ticket.id, in: connection) }
    }
}
