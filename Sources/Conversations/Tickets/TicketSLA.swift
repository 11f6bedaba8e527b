import CRM
import GatewayKit
import Storage

/// SLA targets of one category, in milliseconds; nil = the default target.
public struct TicketSLATargets: Sendable, Equatable {
    public var firstResponseMilliseconds: Int?
    public var resolutionMilliseconds: Int?

    public init(firstResponseMilliseconds: Int? = nil, resolutionMilliseconds: Int? = nil) {
        self.firstResponseMilliseconds = firstResponseMilliseconds
        self.resolutionMilliseconds = resolutionMilliseconds
    }
}

/// The two SLA clocks of a conversation ticket (`tickets.sla.*`):
/// - **first response**: from creation until the first agent reply (``recordFirstResponse(ticketID:at:actor:in:)``,
///   called by the reply phase). Target 5 minutes by default.
/// - **resolution**: from creation (or the last reopen) until the ticket is resolved. Target 24 hours by default.
///
/// Both run while the ticket is `open` or `pending` (pending pauses nothing: waiting for the customer still counts),
/// stop when it is resolved or closed, and are due at start + the target of the ticket's category (recomputed when the
/// category changes). ``TicketSLAScheduler`` records a clock that passes its due time as a breach, once.
public struct TicketSLA: Sendable {
    public let firstResponseMilliseconds: Int
    public let resolutionMilliseconds: Int
    public let categories: [String: TicketSLATargets]

    public init(settings: TicketSettings) {
        firstResponseMilliseconds = settings.firstResponseMilliseconds
        resolutionMilliseconds = settings.resolutionMilliseconds
        categories = settings.categoryTargets
    }

    /// (first response, resolution) targets of `category`, in milliseconds.
    public func targets(for category: String?) -> (firstResponse: Int64, resolution: Int64) {
        let specific = category.flatMap { categories[$0] }
        return (Int64(specific?.firstResponseMilliseconds ?? firstResponseMilliseconds),
                Int64(specific?.resolutionMilliseconds ?? resolutionMilliseconds))
    }

    /// Moves the due times of the clocks still running to the targets of the ticket's (new) category. A clock that
    /// already stopped or breached keeps its due time: the breach is history.
    func retarget(_ t: inout WorkflowTicket) {
        let target = targets(for: t.category)
        if t.firstResponseAt == nil, t.firstResponseBreachedAt == nil, t.firstResponseDueAt != nil {
            t.firstResponseDueAt = t.createdAt + target.firstResponse
        }
        if t.resolvedAt == nil, t.resolutionBreachedAt == nil, t.resolutionDueAt != nil {
            t.resolutionDueAt = t.resolutionClockStart + target.resolution
        }
    }

    /// Starts a new resolution clock (a reopen): due from `at`, not breached yet.
    func restartResolution(_ t: inout WorkflowTicket, at: Int64) {
        t.resolutionDueAt = at + targets(for: t.category).resolution
        t.resolutionBreachedAt = nil
        if t.slaStatus == "breached" && t.firstResponseBreachedAt == nil { t.slaStatus = "on_track" }
    }

    /// Stops the first-response clock of a ticket at `at` (the first agent reply), in the caller's transaction, with a
    /// `first_response` history row. Later replies change nothing. Returns true for the first response.
    /// - Throws: ``GatewayError/notFound(_:)`` for an unknown or deleted ticket.
    @discardableResult
    public static func recordFirstResponse(ticketID: Int64, at: Int64, actor: String = "agent",
                                           in c: any DatabaseConnection) throws -> Bool {
        guard var ticket = try ConversationTicketTable.find(ticketID, in: c), ticket.deletedAt == nil else {
            throw GatewayError.notFound("no ticket with id \(ticketID)")
        }
        guard ticket.firstResponseAt == nil else { return false }
        ticket.firstResponseAt = at
        try ConversationTicketTable.save(ticket, now: at, in: c)
        var detail: [String: JSONValue] = [:]
        if let due = ticket.firstResponseDueAt {
            detail["due_at"] = .string(Timestamps.rfc3339(due))
            detail["within_target"] = .bool(at <= due)
        }
        try TicketHistory.record(ticketID, at: at, actor: actor, action: "first_response",
                                 to: Timestamps.rfc3339(at), detail: .object(detail), in: c)
        return true
    }
}
