import Delivery
import Storage

/// The SQL of the conversation workflow's view of `tickets`: the owner's API for the workflow columns, which the
/// conversations module changes by its rules (see ``TicketWorkflowColumns`` for how the record API shows them). Every
/// value is a bound parameter; column names are constants.
public enum ConversationTicketTable {
    private static let columns = """
        id, unique_id, status, assignee, category, kind, queue, outcome, sla_status, contact_id, channel,
        conversation_key, reopen_count, created_at, reopened_at, resolved_at, closed_at, first_response_at,
        first_response_due_at, resolution_due_at, first_response_breached_at, resolution_breached_at, deleted_at,
        language
        """

    /// The ticket with `id`, deleted ones included.
    public static func find(_ id: Int64, in c: any DatabaseConnection) throws -> WorkflowTicket? {
        try c.queryOne("SELECT \(columns) FROM tickets WHERE id = ?", [.integer(id)]).map(decode)
    }

    /// The newest live conversation ticket of a conversation (whatever its status).
    package static func latest(conversationKey: String, in c: any DatabaseConnection) throws -> WorkflowTicket? {
        try latestWithOutletStatus(conversationKey: conversationKey, in: c)?.ticket
    }

    /// ``latest(conversationKey:in:)`` with the ticket's outlet resolution (`outlet_status`; nil = not looked at),
    /// read in the same statement for the inbound steps that file a message and then resolve its outlet.
    package static func latestWithOutletStatus(conversationKey: String, in c: any DatabaseConnection) throws
        -> (ticket: WorkflowTicket, outletStatus: TicketOutletStatus?)? {
        try c.queryOne("""
            SELECT \(columns), outlet_status FROM tickets
            WHERE conversation_key = ? AND deleted_at IS NULL ORDER BY id DESC LIMIT 1
            """, [.text(conversationKey)]).map { row in
            (try decode(row), row.string("outlet_status").flatMap(TicketOutletStatus.init(rawValue:)))
        }
    }

    /// What a new conversation ticket starts with.
    package struct NewTicket {
        package var name: String
        package var contactID: String?
        package var conversationKey: String
        package var kind: String
        package var queue: String
        /// nil for a ticket opened by hand before the customer wrote (a lead taken on the phone).
        package var lastCustomerMessageAt: Int64?
        package var firstResponseDueAt: Int64
        package var resolutionDueAt: Int64
        package var language: String?
        /// The business number the conversation came in on (WhatsApp's `phone_number_id`).
        package var channelAccount: String?
        /// Where outlet resolution starts (``TicketOutletColumns``); nil for a ticket it has not looked at.
        package var outletStatus: TicketOutletStatus?

        package init(name: String, contactID: String?, conversationKey: String, kind: String, queue: String,
                     lastCustomerMessageAt: Int64?, firstResponseDueAt: Int64, resolutionDueAt: Int64,
                     language: String?, channelAccount: String? = nil, outletStatus: TicketOutletStatus? = nil) {
            self.name = name
            self.contactID = contactID
            self.conversationKey = conversationKey
            self.kind = kind
            self.queue = queue
            self.lastCustomerMessageAt = lastCustomerMessageAt
            self.firstResponseDueAt = firstResponseDueAt
            self.resolutionDueAt = resolutionDueAt
            self.language = language
            self.channelAccount = channelAccount
            self.outletStatus = outletStatus
        }
    }

    /// Inserts an `open` WhatsApp ticket (origin and source `whatsapp`), tells `observers` of it, and returns it as
    /// stored.
    package static func insert(_ new: NewTicket, now: Int64, observers: [any TicketOpeningObserver],
                               in c: any DatabaseConnection) throws -> WorkflowTicket {
        let uniqueID = RecordUniqueID.make(millis: now)
        try c.run("""
            INSERT INTO tickets (unique_id, name, status, sla_status, contact_id, source, origin, created_at,
                                 updated_at, channel, conversation_key, kind, queue, last_customer_message_at,
                                 first_response_due_at, resolution_due_at, language, channel_account, outlet_status)
            VALUES (?, ?, 'open', 'on_track', ?, 'whatsapp', 'whatsapp', ?, ?, 'whatsapp', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(uniqueID), .text(new.name), SQLValue(new.contactID), .integer(now), .integer(now),
                  .text(new.conversationKey), .text(new.kind), .text(new.queue), SQLValue(new.lastCustomerMessageAt),
                  .integer(new.firstResponseDueAt), .integer(new.resolutionDueAt), SQLValue(new.language),
                  SQLValue(new.channelAccount), SQLValue(new.outletStatus?.rawValue)])
        let id = c.lastInsertRowID
        try observers.announce(OpenedTicket(id: id, channel: TicketChannel.whatsapp, at: now), in: c)
        return WorkflowTicket(
            id: id, uniqueID: uniqueID, status: "open", assignee: nil,
            category: nil, kind: new.kind, queue: new.queue, outcome: nil, slaStatus: "on_track",
            contactID: new.contactID, channel: TicketChannel.whatsapp, conversationKey: new.conversationKey,
            reopenCount: 0, createdAt: now, reopenedAt: nil, resolvedAt: nil, closedAt: nil, firstResponseAt: nil,
            firstResponseDueAt: new.firstResponseDueAt, resolutionDueAt: new.resolutionDueAt,
            firstResponseBreachedAt: nil, resolutionBreachedAt: nil, deletedAt: nil, language: new.language)
    }

    /// Writes every workflow column of `ticket`, and counts the change as a new version of the record.
    package static func save(_ t: WorkflowTicket, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE tickets SET status = ?, assignee = ?, category = ?, kind = ?, queue = ?, outcome = ?,
                               sla_status = ?, reopen_count = ?, reopened_at = ?, resolved_at = ?, closed_at = ?,
                               first_response_at = ?, first_response_due_at = ?, resolution_due_at = ?,
                               first_response_breached_at = ?, resolution_breached_at = ?, updated_at = ?,
                               version = version + 1
            WHERE id = ?
            """, [SQLValue(t.status), SQLValue(t.assignee), SQLValue(t.category), SQLValue(t.kind),
                  SQLValue(t.queue), SQLValue(t.outcome), SQLValue(t.slaStatus), .integer(t.reopenCount),
                  SQLValue(t.reopenedAt), SQLValue(t.resolvedAt), SQLValue(t.closedAt), SQLValue(t.firstResponseAt),
                  SQLValue(t.firstResponseDueAt), SQLValue(t.resolutionDueAt), SQLValue(t.firstResponseBreachedAt),
                  SQLValue(t.resolutionBreachedAt), .integer(now), .integer(t.id)])
    }

    /// Notes a customer message: WhatsApp's time of the newest one (never moved back by a late delivery).
    package static func noteCustomerMessage(_ id: Int64, sentAt: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE tickets SET last_customer_message_at = CASE WHEN last_customer_message_at > ?1
                                                              THEN last_customer_message_at ELSE ?1 END
            WHERE id = ?2
            """, [.integer(sentAt), .integer(id)])
    }

    /// How many tickets the conversation has had (deleted ones included).
    package static func count(conversationKey: String, in c: any DatabaseConnection) throws -> Int64 {
        try c.queryOne("SELECT count(*) AS n FROM tickets WHERE conversation_key = ?", [.text(conversationKey)])?
            .int64("n") ?? 0
    }

    /// WhatsApp's time of the conversation's newest customer message over all its tickets, nil when none.
    package static func lastCustomerMessage(conversationKey: String, in c: any DatabaseConnection) throws -> Int64? {
        try c.queryOne("""
            SELECT max(last_customer_message_at) AS last FROM tickets WHERE conversation_key = ?
            """, [.text(conversationKey)])?.int64("last")
    }

    /// Open or pending tickets whose first-response clock runs past `now`, the most overdue first. The terms repeat
    /// the partial index's WHERE clause so the engine uses it.
    package static func firstResponsePastDue(now: Int64, limit: Int, in c: any DatabaseConnection) throws -> [Int64] {
        try c.query("""
            SELECT id FROM tickets
            WHERE first_response_due_at IS NOT NULL AND first_response_at IS NULL
              AND first_response_breached_at IS NULL AND status IN ('open', 'pending')
              AND first_response_due_at <= ? AND deleted_at IS NULL
            ORDER BY first_response_due_at LIMIT ?
            """, [.integer(now), .integer(Int64(limit))]).compactMap { $0.int64("id") }
    }

    /// Open or pending tickets whose resolution clock runs past `now`, the most overdue first (partial index).
    package static func resolutionPastDue(now: Int64, limit: Int, in c: any DatabaseConnection) throws -> [Int64] {
        try c.query("""
            SELECT id FROM tickets
            WHERE resolution_due_at IS NOT NULL AND resolution_breached_at IS NULL
              AND status IN ('open', 'pending') AND resolution_due_at <= ? AND deleted_at IS NULL
            ORDER BY resolution_due_at LIMIT ?
            """, [.integer(now), .integer(Int64(limit))]).compactMap { $0.int64("id") }
    }

    private static func decode(_ row: Row) throws -> WorkflowTicket {
        guard let id = row.int64("id"), let uniqueID = row.string("unique_id"),
              let createdAt = row.int64("created_at")
        else { throw StoreConsistencyError(detail: "a tickets row is incomplete") }
        return WorkflowTicket(
            id: id, uniqueID: uniqueID, status: row.string("status"), assignee: row.string("assignee"),
            category: row.string("category"), kind: row.string("kind"), queue: row.string("queue"),
            outcome: row.string("outcome"), slaStatus: row.string("sla_status"), contactID: row.string("contact_id"),
            channel: row.string("channel"), conversationKey: row.string("conversation_key"),
            reopenCount: row.int64("reopen_count") ?? 0, createdAt: createdAt, reopenedAt: row.int64("reopened_at"),
            resolvedAt: row.int64("resolved_at"), closedAt: row.int64("closed_at"),
            firstResponseAt: row.int64("first_response_at"), firstResponseDueAt: row.int64("first_response_due_at"),
            resolutionDueAt: row.int64("resolution_due_at"),
            firstResponseBreachedAt: row.int64("first_response_breached_at"),
            resolutionBreachedAt: row.int64("resolution_breached_at"), deletedAt: row.int64("deleted_at"),
            language: row.string("language"))
    }
}
