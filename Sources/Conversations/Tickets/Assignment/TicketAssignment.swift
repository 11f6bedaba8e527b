import Access
import CRM
import Foundation
import GatewayKit
import Storage

/// Who gets a conversation ticket: per queue a policy — round-robin, or the fewest open tickets — among the users who
/// work that queue (support: agents, sales: sales, renewals: renewal staff), are available
/// (``AgentAvailability``) and whose scope covers the ticket's outlet; a lead goes to `tickets.assignment.lead_owner`
/// when set. Runs when a ticket opens, when it reopens without an available assignee, and when its assignee becomes
/// unavailable. Each assignment is a workflow change (an `assigned` history row by `assignment`) with its audit row,
/// in the caller's transaction.
public struct TicketAssignment: Sendable {
    public enum Policy: String, Sendable, CaseIterable {
        case roundRobin = "round_robin"
        case leastOpen = "least_open"
        /// Tickets of the queue stay unassigned until an agent takes one.
        case none
    }

    /// The name the history and the audit log show.
    public static let actor = "assignment"
    /// The role whose users work each queue.
    static let roles: [String: Role] = ["support": .agent, "sales": .sales, "renewals": .renewal]

    let policies: [String: Policy]
    let leadOwner: String?
    let workflow: TicketWorkflow
    /// Who is taking tickets now; ``AgentAvailability`` tells it of each change.
    let availableAgents = AvailableAgents()

    public init(settings: TicketSettings, workflow: TicketWorkflow) {
        var policies: [String: Policy] = [:]
        for (queue, name) in settings.assignmentPolicies { policies[queue] = Policy(rawValue: name) }
        self.policies = policies
        leadOwner = settings.leadOwner
        self.workflow = workflow
    }

    /// Assigns ticket `id` (kind `kind`, in `queue`, now assigned to `current`) by its queue's policy, leaving out
    /// `excluding`; nil (unassigned) when nobody fits. Answers the new assignee; an unchanged one writes nothing.
    @discardableResult
    public func assign(_ id: Int64, kind: String?, queue: String?, current: String?, reason: String,
                       excluding: String? = nil, now: Int64, in c: any DatabaseConnection) throws -> String? {
        let queue = queue ?? "support"
        let chosen: String?
        if kind == "lead", let leadOwner, leadOwner.caseInsensitiveCompare(excluding ?? "") != .orderedSame {
            chosen = leadOwner
        } else {
            chosen = try pick(for: id, queue: queue, excluding: excluding, in: c)
        }
        guard chosen != current else { return chosen }
        try workflow.change(.assignee, of: id, to: chosen, actor: Self.actor, now: now, in: c)
        try AuditTrail.record(AuditEntry(action: "ticket.assigned", subjectType: "ticket", subjectID: String(id),
                                         detail: ["assignee": JSONValue(chosen), "reason": .string(reason),
                                                  "queue": .string(queue)]),
                              by: Caller(principal: .system(Self.actor), requestID: nil, sourceIP: nil), at: now, in: c)
        return chosen
    }

    /// Whether `actor` is someone assignment would give tickets to now (an available user).
    func isAvailable(_ actor: String, in c: any DatabaseConnection) throws -> Bool {
        try availableAgents.actors(in: c).contains(actor.lowercased())
    }

    private func pick(for id: Int64, queue: String, excluding: String?, in c: any DatabaseConnection) throws -> String? {
        let policy = policies[queue] ?? .roundRobin
        guard policy != .none, let role = Self.roles[queue] else { return nil }
        let available = try availableAgents.actors(in: c)
        guard !available.isEmpty else { return nil }
        let outlet = try ConversationTicketTable.outlet(of: id, in: c)
        let candidates = try UserDirectory.active(roles: [role], among: available, in: c).filter { user in
            user.email.lowercased() != excluding?.lowercased() && user.scope.covers(fid: outlet.fid, oid: outlet.oid)
        }.map(\.email)
        guard !candidates.isEmpty else { return nil }
        // Round-robin order: the candidates after the last one given a ticket of this queue, then the rest.
        let last = try c.queryOne("SELECT last_actor FROM assignment_turns WHERE queue = ?", [.text(queue)])?
            .string("last_actor")?.lowercased()
        let after = candidates.filter { $0.lowercased() > (last ?? "") }
        var order = after + candidates.filter { !after.contains($0) }
        if policy == .leastOpen {
            let open = try ConversationTicketTable.openCounts(of: candidates, in: c)
            order = order.enumerated().sorted { (open[$0.element] ?? 0, $0.offset) < (open[$1.element] ?? 0, $1.offset) }
                .map(\.element)
        }
        guard let chosen = order.first else { return nil }
        try c.run("""
            INSERT INTO assignment_turns (queue, last_actor) VALUES (?, ?)
            ON CONFLICT (queue) DO UPDATE SET last_actor = excluded.last_actor
            """, [.text(queue), .text(chosen)])
        return chosen
    }
}
