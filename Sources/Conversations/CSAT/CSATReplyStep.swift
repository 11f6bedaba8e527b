import CRM
import Delivery
import GatewayKit
import Storage

/// The inbound step that takes customers' answers to CSAT surveys. It runs after identity and
/// before the ticket step: for a `message` item from a customer who was sent a survey, ``CSATReplyRules`` judges the
/// message against the newest survey:
///
/// - a rating (survey button, or a typed `1`–`5` while the survey waits) is recorded in `csat_response` — the first
///   rating wins — and a comment (the next free text within `csat.comment_window`) is added to it;
/// - those, and every tap on a survey button, are **consumed**: attached to the surveyed ticket's conversation (and
///   noted as the customer's latest message, which reopens the 24-hour window) without reopening the ticket or
///   opening a new one;
/// - typed messages that are no valid rating (`7`, `0`, `abc`, a rating after `csat.response_window`) are counted
///   and logged, then flow on to the ticket step as ordinary messages.
///
/// Customers without a survey cost one indexed lookup (none for a customer created by this message). Counted in
/// `gateway_csat_replies_total{outcome}`: `recorded`, `comment`, and the ``CSATReplyRules/Ignored`` reasons.
public struct CSATReplyStep: InboundItemStep {
    public var phase: InboundPhase { .consume }
    public let settings: CSATSettings
    public let log: EventLog

    public var kinds: Set<String> { ["message"] }

    public init(settings: CSATSettings, log: EventLog) {
        self.settings = settings
        self.log = log
    }

    public func apply(_ item: inout InboundItem, in c: any DatabaseConnection) throws -> InboundStepResult {
        guard case .message(let message) = item.event, !item.contactIsNew,
              let key = TicketConversationStep.conversationKey(item.contactID, message),
              let survey = try CSATSurveys.latest(conversationKey: key, in: c),
              !(try TicketMessages.containsInbound(message.id, in: c))
        else { return .next }
        let at = message.timestamp * 1000
        let actor = "customer:\(key)"
        switch CSATReplyRules.judge(CSATAnswer(message), survey, at: at,
                                    commentWindow: Int64(settings.commentWindowMilliseconds)) {
        case .unrelated:
            return .next
        case .rating(let rating, let source):
            try CSATSurveys.recordRating(rating, source: source, of: survey, messageID: message.id, at: at, in: c)
            try TicketHistory.record(survey.ticketID, at: item.now, actor: actor, action: "csat_rated",
                                     to: String(rating), detail: ["survey_id": .integer(survey.id),
                                                                  "source": .string(source.rawValue)], in: c)
            Self.count("recorded", &item)
        case .comment(let text):
            try CSATSurveys.recordComment(text, of: survey, messageID: message.id, at: at, in: c)
            try TicketHistory.record(survey.ticketID, at: item.now, actor: actor, action: "csat_commented",
                                     detail: ["survey_id": .integer(survey.id)], in: c)
            Self.count("comment", &item)
        case .ignored(let reason, let consumed):
            Self.count(reason.rawValue, &item)
            log.info("csat_reply_ignored", ["outcome": reason.rawValue, "ticket_id": String(survey.ticketID),
                                            "survey_id": String(survey.id), "wa_message_id": message.id,
                                            "then": consumed ? "consumed" : "ticket_step"])
            guard consumed else { return .next }
        }
        try TicketMessages.insertInbound(message, ticketID: survey.ticketID, sender: item.contactID ?? key,
                                         now: item.now, in: c)
        try ConversationTicketTable.noteCustomerMessage(survey.ticketID, sentAt: at, in: c)
        item.applied = true
        return .consumed
    }

    private static func count(_ outcome: String, _ item: inout InboundItem) {
        item.counts.increment("gateway_csat_replies_total", [("outcome", outcome)],
                              help: "Customer answers to CSAT surveys, by outcome (recorded, comment, or why ignored)")
    }
}
