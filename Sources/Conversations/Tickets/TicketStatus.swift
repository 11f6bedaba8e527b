/// The workflow statuses of a ticket and the moves between them:
///
/// | from | to |
/// |---|---|
/// | open | pending, resolved, closed |
/// | pending | open, resolved, closed |
/// | resolved | open (a reopen, counted), closed |
/// | closed | — (final: a new customer message opens a new ticket) |
///
/// Staying in the same status is not a move (409), so a repeated request cannot write history twice.
public enum TicketStatus: String, Sendable, CaseIterable {
    case open
    case pending
    case resolved
    case closed

    /// Statuses in which the SLA clocks run and a customer message attaches to the ticket.
    public var isActive: Bool { self == .open || self == .pending }

    public func canMove(to target: TicketStatus) -> Bool {
        switch (self, target) {
        case (.open, .pending), (.open, .resolved), (.open, .closed): return true
        case (.pending, .open), (.pending, .resolved), (.pending, .closed): return true
        case (.resolved, .open), (.resolved, .closed): return true
        default: return false
        }
    }

    /// The workflow status of a stored ticket: a bot/AI ticket without a status counts as open; a free-text status a
    /// bot set (`solved`) is not a workflow status (nil).
    public init?(stored: String?) {
        guard let stored else { self = .open; return }
        self.init(rawValue: stored)
    }

    public static var names: [String] { allCases.map(\.rawValue) }
}
