import CRM
import Configuration
import Conversations
import Delivery
import GatewayKit
import Messaging

/// The conversation-ticket feature assembled from configuration: the workflow (with the CSAT survey sent on
/// resolution), the inbound steps (CSAT answers, then the ticket conversation), agent replies, the SLA breach
/// scheduler and the routes. ``GatewayApp`` puts ``csatStep`` and ``conversationStep`` after identity in the inbound
/// applier's steps and starts and stops the scheduler.
struct TicketWiring {
    let workflow: TicketWorkflow
    let csatStep: CSATReplyStep
    let conversationStep: TicketConversationStep
    let replies: TicketReplies
    let scheduler: TicketSLAScheduler

    /// - Throws: ``ConfigError`` naming `tickets.classification_file` when the rules file cannot be read.
    /// - Parameters:
    ///   - whatsApp: sends agent replies and CSAT surveys.
    ///   - observers: code run inside every status change's transaction, after the CSAT survey's.
    init(config: GatewayConfig, store: SQLiteGatewayStore, whatsApp: WhatsAppSender, metrics: MetricsRegistry,
         log: EventLog, clock: @escaping @Sendable () -> Int64, observers: [any TicketTransitionObserver] = []) throws {
        let settings = config.tickets
        let classifier = try settings.classificationFile.map {
            try TicketClassifier.load(path: $0, key: "tickets.classification_file (TICKET_CLASSIFICATION_FILE)")
        } ?? .supportOnly
        if settings.classificationFile == nil {
            log.warning("ticket_classification_disabled", ["reason": "tickets.classification_file is null"])
        }
        let messages = TicketMessageSender(whatsApp: whatsApp)
        let survey = CSATSurveyObserver(messages: messages, settings: config.csat, metrics: metrics, log: log)
        workflow = TicketWorkflow(sla: TicketSLA(settings: settings), observers: [survey] + observers)
        csatStep = CSATReplyStep(settings: config.csat, log: log)
        conversationStep = TicketConversationStep(workflow: workflow, classifier: classifier,
                                                  reopenWindowMilliseconds: Int64(settings.reopenWindowMilliseconds))
        replies = TicketReplies(messages: messages)
        scheduler = TicketSLAScheduler(writer: store.writer, metrics: metrics, log: log, clock: clock,
                                       intervalMilliseconds: settings.slaCheckIntervalMilliseconds)
    }

    func registerRoutes(in router: inout Router, store: SQLiteGatewayStore, links: RecordLinks, auth: AdminAuth,
                        clock: @escaping @Sendable () -> Int64) {
        TicketWorkflowRoutes(store: store, workflow: workflow, links: links, auth: auth, clock: clock)
            .register(in: &router)
        TicketReplyRoutes(store: store, replies: replies, auth: auth, clock: clock).register(in: &router)
        CSATRoutes(store: store, auth: auth, clock: clock).register(in: &router)
    }
}
