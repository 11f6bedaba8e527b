import CRM
import Storage

/// One status move of a ticket, as observers are told of it.
public struct TicketTransition: Sendable, Equatable {
    public let from: TicketStatus
    public let to: TicketStatus
    /// The agent or API caller, or `customer:<conversation>` when a customer message reopened the ticket.
    public let actor: String
    /// Unix milliseconds.
    public let at: Int64
    /// The ticket after the move, as saved.
    public let ticket: WorkflowTicket
}

/// Code that must act when a ticket changes status, in the same transaction as the change (its writes commit or roll
/// back with it). The CSAT phase registers one that enqueues the survey when `to == .resolved`; observers are passed
/// to ``TicketWorkflow/init(sla:observers:)`` where `GatewayApp` wires the tickets feature (`TicketWiring`).
/// Throwing refuses the whole change.
public protocol TicketTransitionObserver: Sendable {
    func ticketMoved(_ transition: TicketTransition, in connection: any DatabaseConnection) throws
}
