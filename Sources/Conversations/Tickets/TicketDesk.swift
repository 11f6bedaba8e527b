import CRM
import Delivery
import GatewayKit
import Messaging
import Storage

/// What agents do on a conversation ticket: move it through the workflow, reply to the customer, read its history,
/// messages and notes. Each change is one unit of work with its history row, its observers' writes and any outbox
/// row; a refusal (unknown ticket, a move the workflow does not allow, a reply outside the window) writes nothing.
public struct TicketDesk: Sendable {
    /// The three threads of a ticket, oldest first.
    public enum Thread: String, CaseIterable, Sendable {
        case history, messages, notes
    }

    /// What a workflow change answers with: the new note, or the ticket as it now is.
    public enum Change: Sendable {
        case note(JSONValue)
        case ticket(StoredRecord)
    }

    private let database: any Database
    private let workflow: TicketWorkflow
    private let replies: TicketReplies

    public init(database: any Database, workflow: TicketWorkflow, replies: TicketReplies) {
        self.database = database
        self.workflow = workflow
        self.replies = replies
    }

    /// Applies `request` to ticket `ticketID` at `now`, once `ticketGuard` lets it (``TicketGuard``).
    public func apply(_ request: TicketWorkflowRequest, to ticketID: Int64, guardedBy ticketGuard: TicketGuard,
                      now: Int64, addendum: Addendum<Change>? = nil, answer: @escaping Answer<Change>) {
        database.write({ [workflow] c in
            let version = try ticketGuard.check(ticketID, now: now, in: c)
            let note = try workflow.apply(request, to: ticketID, now: now, in: c)
            try ticketGuard.changed(ticketID, from: version, now: now, in: c)
            if let note { return .note(note) }
            guard let ticket = try RecordTable.tickets.find(ticketID, in: c) else {
                throw GatewayError.notFound("no ticket with id \(ticketID)")
            }
            return .ticket(ticket)
        }, addendum: addendum, answer: answer)
    }

    /// Claims ticket `ticketID` for the guard's actor (``TicketClaims``); answers the ticket.
    public func claim(_ ticketID: Int64, guardedBy ticketGuard: TicketGuard, takeOver: Bool, mayTakeOver: Bool,
                      now: Int64, addendum: Addendum<StoredRecord>? = nil, answer: @escaping Answer<StoredRecord>) {
        database.write({ c in
            try TicketClaims.claim(ticketID, ticketGuard, takeOver: takeOver, mayTakeOver: mayTakeOver, now: now, in: c)
            return try Self.ticket(ticketID, in: c)
        }, addendum: addendum, answer: answer)
    }

    /// Releases the claim on ticket `ticketID` (``TicketClaims``); answers the ticket.
    public func release(_ ticketID: Int64, guardedBy ticketGuard: TicketGuard, mayTakeOver: Bool, now: Int64,
                        addendum: Addendum<StoredRecord>? = nil, answer: @escaping Answer<StoredRecord>) {
        database.write({ c in
            try TicketClaims.release(ticketID, ticketGuard, mayTakeOver: mayTakeOver, now: now, in: c)
            return try Self.ticket(ticketID, in: c)
        }, addendum: addendum, answer: answer)
    }

    private static func ticket(_ id: Int64, in c: any DatabaseConnection) throws -> StoredRecord {
        guard let ticket = try RecordTable.tickets.find(id, in: c) else { throw GatewayError.notFound("no ticket with id \(id)") }
        return ticket
    }

    /// Queues an agent's reply to the customer (once per `idempotencyKey`): the ticket message, and whether this call
    /// created it.
    public func reply(_ request: TicketReplyRequest, to ticketID: Int64, guardedBy ticketGuard: TicketGuard,
                      idempotencyKey: String, now: Int64, addendum: Addendum<(message: JSONValue, created: Bool)>? = nil,
                      answer: @escaping Answer<(message: JSONValue, created: Bool)>) {
        let replies = self.replies
        guardedReply(to: ticketID, guardedBy: ticketGuard, idempotencyKey: idempotencyKey, now: now, addendum: addendum,
                     answer: answer) { c in
            try replies.reply(request, to: ticketID, idempotencyKey: idempotencyKey, now: now, in: c)
        }
    }

    /// Sends canned reply `replyID` on ticket `ticketID` (once per `idempotencyKey`), see ``CannedReplySending``.
    public func sendCannedReply(_ replyID: Int64, on ticketID: Int64, guardedBy ticketGuard: TicketGuard,
                                idempotencyKey: String, now: Int64,
                                addendum: Addendum<(message: JSONValue, created: Bool)>? = nil,
                                answer: @escaping Answer<(message: JSONValue, created: Bool)>) {
        let sending = CannedReplySending(replies: replies)
        guardedReply(to: ticketID, guardedBy: ticketGuard, idempotencyKey: idempotencyKey, now: now, addendum: addendum,
                     answer: answer) { c in
            try sending.send(replyID, on: ticketID, actor: ticketGuard.actor, idempotencyKey: idempotencyKey, now: now,
                             in: c)
        }
    }

    /// A reply under collision control (``TicketGuard``): checked before it is written, counted as a new version of
    /// the ticket; a retried one (its key already queued) was checked the first time and gets its first answer.
    private func guardedReply(to ticketID: Int64, guardedBy ticketGuard: TicketGuard, idempotencyKey: String,
                              now: Int64, addendum: Addendum<(message: JSONValue, created: Bool)>?,
                              answer: @escaping Answer<(message: JSONValue, created: Bool)>,
                              send: @escaping @Sendable (any DatabaseConnection) throws -> (message: JSONValue, created: Bool)) {
        database.write({ c in
            do {
                let retried = try TicketReplies.isQueued(ticketID, idempotencyKey: idempotencyKey, in: c)
                let version = retried ? nil : try ticketGuard.check(ticketID, now: now, in: c)
                let reply = try send(c)
                if let version, reply.created { try ticketGuard.changed(ticketID, from: version, now: now, in: c) }
                return reply
            } catch let error as WhatsAppSendError {
                throw GatewayError(error)
            }
        }, addendum: addendum, answer: answer)
    }

    /// One page of the ticket's `thread`, nil when the ticket is unknown or deleted. Blocking read.
    public func page(_ thread: Thread, of ticketID: Int64, _ page: TicketPage) throws -> [JSONValue]? {
        try database.read { c in
            guard let ticket = try RecordTable.tickets.find(ticketID, in: c), !ticket.isDeleted else { return nil }
            switch thread {
            case .history: return try TicketHistory.list(ticketID, page: page, in: c)
            case .messages: return try TicketMessages.list(ticketID, page: page, in: c)
            case .notes: return try TicketNotes.list(ticketID, page: page, in: c)
            }
        }
    }

    /// CSAT results grouped as `query` asks. Blocking read.
    public func csatReport(_ query: CSATReportQuery) throws -> JSONValue {
        try database.read { try CSATReport.run(query, in: $0) }
    }
}
