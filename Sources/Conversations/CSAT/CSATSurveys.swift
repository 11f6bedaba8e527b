import CRM
import Storage

/// The `csat_surveys` and `csat_response` tables (migration 10). Every value is a bound parameter.
public enum CSATSurveys {
    /// What a new survey records (the WhatsApp message and the ticket message that carry it).
    struct NewSurvey {
        var ticket: WorkflowTicket
        var resolution: Int64
        var outboundMessageID: Int64
        var ticketMessageID: Int64
        var sentAt: Int64
        var expiresAt: Int64
    }

    static func exists(ticketID: Int64, resolution: Int64, in c: any DatabaseConnection) throws -> Bool {
        try c.queryOne("SELECT 1 AS found FROM csat_surveys WHERE ticket_id = ? AND resolution = ?",
                       [.integer(ticketID), .integer(resolution)]) != nil
    }

    static func insert(_ new: NewSurvey, conversationKey: String, in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO csat_surveys (ticket_id, resolution, ticket_ref, conversation_key, assignee, outbound_message_id,
                                      ticket_message_id, sent_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(new.ticket.id), .integer(new.resolution), .text(TicketReference.of(new.ticket.id)),
                  .text(conversationKey), SQLValue(new.ticket.assignee), .integer(new.outboundMessageID),
                  .integer(new.ticketMessageID), .integer(new.sentAt), .integer(new.expiresAt)])
    }

    /// The newest survey sent to a conversation (the customer's "surveyed ticket"), with its answer so far.
    public static func latest(conversationKey: String, in c: any DatabaseConnection) throws -> CSATSurvey? {
        guard let row = try c.queryOne("""
            SELECT s.id, s.ticket_id, s.ticket_ref, s.sent_at, s.expires_at, r.rating, r.responded_at, r.comment
            FROM csat_surveys s LEFT JOIN csat_response r ON r.survey_id = s.id
            WHERE s.conversation_key = ? ORDER BY s.id DESC LIMIT 1
            """, [.text(conversationKey)]),
              let id = row.int64("id"), let ticketID = row.int64("ticket_id"), let ref = row.string("ticket_ref"),
              let sentAt = row.int64("sent_at"), let expiresAt = row.int64("expires_at")
        else { return nil }
        let status = try ConversationTicketTable.find(ticketID, in: c)?.workflowStatus
        let response = row.int64("rating").map { rating in
            CSATSurvey.Response(rating: Int(rating), respondedAt: row.int64("responded_at") ?? 0,
                                comment: row.string("comment"))
        }
        return CSATSurvey(id: id, ticketID: ticketID, ticketRef: ref, sentAt: sentAt, expiresAt: expiresAt,
                          ticketSettled: status == .resolved || status == .closed, response: response)
    }

    /// Records the rating of `survey` carried by WhatsApp message `messageID`, sent at `at` (unix ms).
    static func recordRating(_ rating: Int, source: CSATAnswer.Source, of survey: CSATSurvey, messageID: String,
                             at: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            INSERT INTO csat_response (survey_id, ticket_id, rating, source, wa_message_id, responded_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [.integer(survey.id), .integer(survey.ticketID), .integer(Int64(rating)), .text(source.rawValue),
                  .text(messageID), .integer(at)])
    }

    /// Records the comment that followed the rating of `survey`.
    static func recordComment(_ comment: String, of survey: CSATSurvey, messageID: String, at: Int64,
                              in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE csat_response SET comment = ?, comment_message_id = ?, commented_at = ?
            WHERE survey_id = ? AND comment IS NULL
            """, [.text(comment), .text(messageID), .integer(at), .integer(survey.id)])
    }
}
