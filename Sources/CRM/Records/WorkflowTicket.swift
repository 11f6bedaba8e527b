/// A ticket as the conversation workflow sees it: status, routing and the SLA clocks (times in unix milliseconds).
/// Read and written through ``ConversationTicketTable`` (this module owns `tickets`; the workflow's rules live with
/// the conversations); the record fields (name, priority, ...) stay with ``StoredRecord``.
public struct WorkflowTicket: Sendable, Equatable {
    public let id: Int64
    public let uniqueID: String
    /// As stored: a ``TicketStatus`` name for conversation tickets; nil or free text for older bot/API tickets.
    public var status: String?
    public var assignee: String?
    public var category: String?
    /// `support` or `lead`.
    public var kind: String?
    /// `support` or `sales` (from the kind), or what an agent routed it to.
    public var queue: String?
    public var outcome: String?
    public var slaStatus: String?
    /// The customer (`cus_…`); nil for a sender the identity mode resolves to nobody.
    public let contactID: String?
    /// `whatsapp` for conversation tickets, nil for bot/API tickets.
    public let channel: String?
    public let conversationKey: String?
    public var reopenCount: Int64
    public let createdAt: Int64
    public var reopenedAt: Int64?
    public var resolvedAt: Int64?
    public var closedAt: Int64?
    public var firstResponseAt: Int64?
    public var firstResponseDueAt: Int64?
    public var resolutionDueAt: Int64?
    public var firstResponseBreachedAt: Int64?
    public var resolutionBreachedAt: Int64?
    public let deletedAt: Int64?
    /// The customer's language for templates (`en`, `ms`), from the keywords of the first message; nil = the default.
    public let language: String?

    /// When the resolution clock of the current run started: the last reopen, else the creation.
    public var resolutionClockStart: Int64 { reopenedAt ?? createdAt }
}
