import CRM
import GatewayKit
import Storage

/// The record commands (`PATCH`/`DELETE /v1/tickets/{id}`, bot `ticket.updated`/`ticket.deleted`) on a WhatsApp
/// conversation ticket: fields the workflow owns are refused (they change only through ``TicketWorkflow``, with its
/// rules and history), and every other edit is written to the ticket's history like any workflow change.
public struct ConversationTicketEdits: ConversationTicketEditing {
    public init() {}

    /// Record fields of a conversation ticket that only the workflow may change, with the route that does.
    static let workflowOwned: [String: String] = [
        "status": "POST /v1/tickets/{id}/status",
        "assignee": "POST /v1/tickets/{id}/assignment",
        "sla_status": "the SLA scheduler",
    ]

    /// Refuses a change of a workflow-owned field (400 naming each).
    public func check(_ changed: [String], payloadPath: String) throws {
        var refused = FieldValidator([:], prefix: payloadPath)
        for field in changed {
            if let owner = Self.workflowOwned[field] {
                refused.fail(field, "of a WhatsApp conversation ticket is changed by \(owner)")
            }
        }
        guard refused.errors.isEmpty else { throw CommandRejection(.validation(refused.errors)) }
    }

    public func recordUpdate(_ id: Int64, changed: [String], _ command: RecordCommand, now: Int64,
                             in c: any DatabaseConnection) throws {
        try TicketHistory.record(id, at: now, actor: command.origin.rawValue, action: "updated",
                                 detail: ["changed": .array(changed.map { .string($0) })], in: c)
    }

    public func recordDelete(_ id: Int64, _ command: RecordCommand, now: Int64, in c: any DatabaseConnection) throws {
        try TicketHistory.record(id, at: now, actor: command.origin.rawValue, action: "deleted", in: c)
    }
}
