import CRM
import GatewayKit
import Messaging
import Storage

/// Sends the CSAT survey when a WhatsApp ticket is resolved: the `csat_request` template with
/// the customer's name and the ticket reference (`T-<id>`), whose five quick replies come back as
/// `csat:<ticket-ref>:<n>`. It runs inside the resolving transaction, so the survey (WhatsApp message, outbox row,
/// outbound ticket message, `csat_surveys` row, `csat_sent` history) exists exactly when the resolution does.
///
/// Once per resolution: resolution n of a ticket is `reopen_count + 1` at the time; the survey's idempotency key is
/// `csat:<ticket id>:<n>` and `csat_surveys` is unique per (ticket, n), so a reopened and re-resolved ticket gets a
/// new survey while the same resolution never sends twice. A ticket without a WhatsApp customer (bot/API tickets) or
/// a send the kit refuses (template missing, no phone number id) is skipped with a log line and a count — a survey
/// must never stop an agent from resolving a ticket.
///
/// Counted in `gateway_csat_surveys_total{outcome}` (`sent`, `already_sent`, `no_recipient`, `refused`,
/// `skipped_template` — Meta paused or rejected the survey template; also a `csat_skipped` ticket history row)
/// once the resolving transaction commits: a transaction that rolls back, or is run again after a deadlock on
/// PostgreSQL, counts nothing (commit actions are hints, so a resolution whose savepoint alone was rolled back inside a
/// committed batch may still count one).
public struct CSATSurveyObserver: TicketTransitionObserver {
    public static let purpose = "csat"
    public static let template = "csat_request"

    public let messages: TicketMessageSender
    public let settings: CSATSettings
    public let metrics: MetricsRegistry
    public let log: EventLog

    public init(messages: TicketMessageSender, settings: CSATSettings, metrics: MetricsRegistry, log: EventLog) {
        self.messages = messages
        self.settings = settings
        self.metrics = metrics
        self.log = log
    }

    public func ticketMoved(_ transition: TicketTransition, in c: any DatabaseConnection) throws {
        guard transition.to == .resolved, settings.enabled else { return }
        let ticket = transition.ticket
        let resolution = ticket.reopenCount + 1
        guard !(try CSATSurveys.exists(ticketID: ticket.id, resolution: resolution, in: c)) else {
            return count("already_sent", resolution, of: ticket.id, in: c)
        }
        guard ticket.channel == TicketChannel.whatsapp, let key = ticket.conversationKey,
              let customer = try TicketCustomer.of(ticket, in: c) else {
            return count("no_recipient", resolution, of: ticket.id, in: c)
        }
        let ref = TicketReference.of(ticket.id)
        let language = messages.language(nil, ticket: ticket, template: Self.template)
        let name = Self.greetingName(customer.name, language: language ?? messages.whatsApp.catalog.defaultLanguage)
        let sent: TicketMessageSender.Sent
        do {
            sent = try messages.send(.template(name: Self.template, language: language, parameters: [name, ref]),
                                     to: customer, ticketID: ticket.id, purpose: Self.purpose,
                                     idempotencyKey: "csat:\(ticket.id):\(resolution)", author: "csat",
                                     now: transition.at, in: c)
        } catch let error as WhatsAppSendError {
            log.warning("csat_survey_refused", ["ticket_id": String(ticket.id), "reason": "\(error)"])
            guard case .templateNotApproved = error else { return count("refused", resolution, of: ticket.id, in: c) }
            // Meta paused or rejected the survey template: a skipped survey, on the ticket's history.
            try TicketHistory.record(ticket.id, at: transition.at, actor: "csat", action: "csat_skipped", to: ref,
                                     detail: ["reason": .string(Problem(GatewayError(error)).detail)], in: c)
            return count("skipped_template", resolution, of: ticket.id, in: c)
        }
        try CSATSurveys.insert(.init(ticket: ticket, resolution: resolution, outboundMessageID: sent.outbound.id,
                                     ticketMessageID: sent.ticketMessageID, sentAt: transition.at,
                                     expiresAt: transition.at + Int64(settings.responseWindowMilliseconds)),
                               conversationKey: key, in: c)
        var detail: [String: JSONValue] = ["resolution": .integer(resolution),
                                           "outbound_message_id": .integer(sent.outbound.id)]
        detail.put("language", sent.outbound.language)
        try TicketHistory.record(ticket.id, at: transition.at, actor: "csat", action: "csat_sent", to: ref,
                                 detail: .object(detail), in: c)
        count("sent", resolution, of: ticket.id, in: c)
    }

    /// The `{{1}}` of the survey: the customer's name with white space folded (Meta refuses line breaks, tabs and
    /// runs of spaces in parameters) and at most 60 characters, else a polite word in the survey's language.
    static func greetingName(_ name: String?, language: String) -> String {
        let folded = (name ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if !folded.isEmpty { return String(folded.prefix(60)) }
        return language == "ms" ? "Pelanggan" : "Customer"
    }

    private func count(_ outcome: String, _ resolution: Int64, of ticketID: Int64, in c: any DatabaseConnection) {
        c.afterCommit("csat-survey-\(ticketID)-\(resolution)-\(outcome)") { [metrics] in
            metrics.increment("gateway_csat_surveys_total", [("outcome", outcome)],
                              help: "CSAT surveys on ticket resolution, by outcome (sent, already_sent, no_recipient, refused)")
        }
    }
}
