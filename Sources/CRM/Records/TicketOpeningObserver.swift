import Storage

/// A ticket just inserted, as ``TicketOpeningObserver``s are told of it. A new ticket has no outlet yet: linking one
/// is a change of its own.
public struct OpenedTicket: Sendable, Equatable {
    public let id: Int64
    /// `whatsapp` for a conversation ticket; nil for a bot or API ticket, which the desk's figures do not count.
    public let channel: String?
    /// Unix milliseconds: the ticket's creation time.
    public let at: Int64

    public init(id: Int64, channel: String?, at: Int64) {
        (self.id, self.channel, self.at) = (id, channel, at)
    }
}

/// Code that writes something for every new ticket, in the transaction that inserts it: the desk's change feed
/// records the opening, analytics queues the ticket to be counted. Those tables belong to other modules, so they
/// register here rather than hang triggers on `tickets` (on SQLite a statement that fires a trigger also keeps a
/// journal of every page it changes, a cost on each inbound message that opens a ticket). `GatewayApp` hands the same
/// list to everything that inserts tickets: the record commands (bot and API tickets) and the conversation workflow
/// (``ConversationTicketTable/insert(_:now:observers:in:)``). Throwing refuses the whole change.
public protocol TicketOpeningObserver: Sendable {
    func ticketOpened(_ ticket: OpenedTicket, in connection: any DatabaseConnection) throws
}

extension Array where Element == any TicketOpeningObserver {
    /// Tells every observer, in order, of `ticket`.
    package func announce(_ ticket: OpenedTicket, in connection: any DatabaseConnection) throws {
        for observer in self { try observer.ticketOpened(ticket, in: connection) }
    }
}
