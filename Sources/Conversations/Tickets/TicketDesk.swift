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

    /// Applies `request` to ticket `ticketID` at `now`.
    public func apply(_ request: TicketWorkflowRequest, to ticketID: Int64, now: Int64,
                      addendum: Addendum<Change>? = nil, answer: @escaping Answer<Change>) {
        database.write({ [workflow] c in
            if let note = try workflow.apply(request, to: ticketID, now: now, in: c) { return .note(note) }
            guard let ticket = try RecordTable.tickets.find(ticketID, in: c) else {
                throw GatewayError.notFound("no ticket with id \(ticketID)")
            }
            return .ticket(ticket)
        }, addendum: addendum, answer: answer)
    }

    /// Queues an agent's reply to the customer (once per `idempotencyKey`): the ticket message, and whether this call
    /// created it.
    public func reply(_ request: TicketReplyRequest, to ticketID: Int64, idempotencyKey: String, now: Int64,
                      addendum: Addendum<(message: JSONValue, created: Bool)>? = nil,
                      answer: @escaping Answer<(message: JSONValue, created: Bool)>) {
        database.write({ [replies] c in
            do {
                return try replies.reply(request, to: ticketID, idempotencyKey: idempotencyKey, now: now, in: c)
            } catch let error as WhatsAppSendError {
                throw GatewayError(error)
            }
        }, addendum: addendum, answer: answer)
    }

    /// Sends canned reply `replyID` on ticket `ticketID` (once per `idempotencyKey`), see ``CannedReplySending``.
    public func sendCannedReply(_ replyID: Int64, on ticketID: Int64, actor: String, idempotencyKey: String, now: Int64,
                                addendum: Addendum<(message: JSONValue, created: Bool)>? = nil,
                                answer: @escaping Answer<(message: JSONValue, created: Bool)>) {
        database.write({ [replies] c in
            do {
                return try CannedReplySending(replies: replies).send(replyID, on: ticketID, actor: actor,
                                                                     idempotencyKey: idempotencyKey, now: now, in: c)
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
