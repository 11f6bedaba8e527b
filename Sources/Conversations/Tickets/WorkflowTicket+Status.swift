import CRM

extension WorkflowTicket {
    /// The workflow status (nil when a bot stored a status of its own, such as `solved`).
    public var workflowStatus: TicketStatus? { TicketStatus(stored: status) }
}
