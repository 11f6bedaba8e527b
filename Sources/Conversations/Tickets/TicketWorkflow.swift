import CRM
import GatewayKit
import Storage

/// The one place ticket status, routing fields and notes change (agents through `/v1/tickets/{id}/…`, customers
/// through their messages). Each operation runs inside the caller's transaction and writes the change, its
/// ``TicketHistory`` row and whatever the ``TicketTransitionObserver``s write, all or nothing.
public struct TicketWorkflow: Sendable {
    public let sla: TicketSLA
    private let observers: [any TicketTransitionObserver]

    public init(sla: TicketSLA, observers: [any TicketTransitionObserver] = []) {
        self.sla = sla
        self.observers = observers
    }

    /// Moves a ticket to `target` (see ``TicketStatus`` for the allowed moves), setting `outcome` first when given.
    /// - Throws: ``GatewayError/notFound(_:)``, ``GatewayError/invalidTransition(from:to:)``, or
    ///   ``GatewayError/conflict(_:)`` for a ticket whose stored status is not a workflow status.
    public func changeStatus(ticketID: Int64, to target: TicketStatus, outcome: String?, actor: String, now: Int64,
                             in c: any DatabaseConnection) throws {
        var ticket = try live(ticketID, in: c)
        if let outcome, outcome != ticket.outcome {
            try TicketHistory.record(ticket.id, at: now, actor: actor, action: TicketWorkflowField.outcome.action,
                                     from: ticket.outcome, to: outcome, in: c)
            ticket.outcome = outcome
        }
        try move(&ticket, to: target, actor: actor, now: now, in: c)
    }

    /// Sets (or, with nil, clears) the assignee, category or outcome. Setting the current value changes nothing and
    /// writes no history. A new category moves the due times of the running SLA clocks.
    public func change(_ field: TicketWorkflowField, of ticketID: Int64, to value: String?, actor: String, now: Int64,
                       in c: any DatabaseConnection) throws {
        var ticket = try live(ticketID, in: c)
        let previous = ticket[keyPath: field.keyPath]
        guard previous != value else { return }
        ticket[keyPath: field.keyPath] = value
        if field == .category { sla.retarget(&ticket) }
        try ConversationTicketTable.save(ticket, now: now, in: c)
        try TicketHistory.record(ticket.id, at: now, actor: actor, action: field.action, from: previous, to: value,
                                 in: c)
    }

    /// Adds an internal note and returns it (`{"id", "ticket_id", "author", "text", "created_at"}`).
    public func addNote(ticketID: Int64, text: String, actor: String, now: Int64,
                        in c: any DatabaseConnection) throws -> JSONValue {
        let ticket = try live(ticketID, in: c)
        let note = try TicketNotes.insert(ticketID: ticket.id, author: actor, text: text, now: now, in: c)
        try TicketHistory.record(ticket.id, at: now, actor: actor, action: "note_added",
                                 to: note["id"]?.int64Value.map(String.init), in: c)
        return note
    }

    /// Moves `ticket` to `target`, saves it, records the history and tells the observers. A move from `resolved` to
    /// `open` is a reopen: counted, and the resolution clock starts again.
    func move(_ ticket: inout WorkflowTicket, to target: TicketStatus, actor: String, now: Int64,
              in c: any DatabaseConnection) throws {
        guard let from = ticket.workflowStatus else {
            throw GatewayError.conflict("ticket \(ticket.id) has status \(ticket.status ?? ""), which is not a "
                                        + "workflow status (\(TicketStatus.names.joined(separator: ", ")))")
        }
        guard from.canMove(to: target) else {
            throw GatewayError.invalidTransition(from: from.rawValue, to: target.rawValue)
        }
        let reopen = from == .resolved && target == .open
        ticket.status = target.rawValue
        switch target {
        case .resolved: ticket.resolvedAt = now
        case .closed: ticket.closedAt = now
        case .open where reopen:
            ticket.reopenCount += 1
            ticket.reopenedAt = now
            ticket.resolvedAt = nil
            sla.restartResolution(&ticket, at: now)
        case .open, .pending: break
        }
        try ConversationTicketTable.save(ticket, now: now, in: c)
        try TicketHistory.record(ticket.id, at: now, actor: actor, action: reopen ? "reopened" : "status_changed",
                                 from: from.rawValue, to: target.rawValue,
                                 detail: reopen ? ["reopen_count": .integer(ticket.reopenCount)] : nil, in: c)
        let transition = TicketTransition(from: from, to: target, actor: actor, at: now, ticket: ticket)
        for observer in observers { try observer.ticketMoved(transition, in: c) }
    }

    private func live(_ id: Int64, in c: any DatabaseConnection) throws -> WorkflowTicket {
        guard let ticket = try ConversationTicketTable.find(id, in: c), ticket.deletedAt == nil else {
            throw GatewayError.notFound("no ticket with id \(id)")
        }
        return ticket
    }
}

extension TicketWorkflow {
    /// Applies `request` to ticket `ticketID`; a note comes back as its JSON, other requests as nil.
    public func apply(_ request: TicketWorkflowRequest, to ticketID: Int64, now: Int64,
                      in c: any DatabaseConnection) throws -> JSONValue? {
        switch request {
        case .status(let status, let outcome, let actor):
            try changeStatus(ticketID: ticketID, to: status, outcome: outcome, actor: actor, now: now, in: c)
        case .field(let field, let value, let actor):
            try change(field, of: ticketID, to: value, actor: actor, now: now, in: c)
        case .note(let text, let actor):
            return try addNote(ticketID: ticketID, text: text, actor: actor, now: now, in: c)
        }
        return nil
    }
}

/// The routing fields agents set on a ticket, each with its history action.
public enum TicketWorkflowField: String, Sendable, CaseIterable {
    case assignee
    case category
    case outcome

    var keyPath: WritableKeyPath<WorkflowTicket, String?> {
        switch self {
        case .assignee: return \.assignee
        case .category: return \.category
        case .outcome: return \.outcome
        }
    }

    var action: String {
        switch self {
        case .assignee: return "assigned"
        case .category: return "category_changed"
        case .outcome: return "outcome_changed"
        }
    }
}
