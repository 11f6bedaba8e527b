import CRM
import Conversations

extension TicketOutletColumns.Ticket {
    /// Open or pending, not deleted: a ticket a customer message may still resolve.
    var isActive: Bool {
        !isDeleted && (status == TicketStatus.open.rawValue || status == TicketStatus.pending.rawValue)
    }
}
