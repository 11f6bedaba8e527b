import Access
import CRM
import Delivery
import GatewayKit
import Storage

/// Agents say whether they are taking tickets (`POST /v1/agents/me/availability`). Going unavailable hands their open
/// and pending tickets on by their queues' policies (or back to the queue, unassigned, when nobody else is
/// available), in the same transaction; the change and each reassignment are audited.
public struct AgentAvailability: Sendable {
    private let database: any Database
    private let assignment: TicketAssignment

    public init(database: any Database, assignment: TicketAssignment) {
        self.database = database
        self.assignment = assignment
    }

    /// Sets the caller's availability; answers `{"actor", "available", "redistributed"}`.
    public func set(_ available: Bool, by caller: Caller, now: Int64, answer: @escaping Answer<JSONValue>) {
        let assignment = self.assignment
        database.write({ c in
            try c.run("""
                INSERT INTO agent_availability (actor, available, changed_at) VALUES (?, ?, ?)
                ON CONFLICT (actor) DO UPDATE SET available = excluded.available, changed_at = excluded.changed_at
                """, [.text(caller.actor), .integer(available ? 1 : 0), .integer(now)])
            assignment.availableAgents.changed(in: c)
            try AuditTrail.record(AuditEntry(action: "agent.availability_changed", subjectType: "agent",
                                             subjectID: caller.actor, detail: ["available": .bool(available)]),
                                  by: caller, at: now, in: c)
            var handedOn = 0
            if !available {
                for id in try ConversationTicketTable.openTickets(of: caller.actor, in: c) {
                    guard let ticket = try ConversationTicketTable.find(id, in: c) else { continue }
                    try assignment.assign(id, kind: ticket.kind, queue: ticket.queue, current: ticket.assignee,
                                          reason: "redistributed", excluding: caller.actor, now: now, in: c)
                    handedOn += 1
                }
            }
            return ["actor": .string(caller.actor), "available": .bool(available),
                    "redistributed": .integer(Int64(handedOn))]
        }, answer: answer)
    }
}
