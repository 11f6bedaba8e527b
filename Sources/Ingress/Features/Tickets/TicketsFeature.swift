import Access
import CRM
import Configuration
import Conversations
import Delivery
import GatewayKit
import Messaging

/// WhatsApp conversation tickets: the workflow (with the CSAT survey sent on resolution), the inbound steps (CSAT
/// answers; filing every other message on its ticket), agent replies, the SLA breach scheduler and the routes.
struct TicketsFeature: Feature {
    /// Records SLA breaches (the app hands it to tests, which move the clock and wake it).
    let scheduler: TicketSLAScheduler
    /// Archives tickets whose reopen window has ended.
    let archiver: TicketArchiver
    /// Empties the words of deleted messages once `tickets.deleted_message_retention` has passed.
    private let workflow: TicketWorkflow
    /// Classifies first messages lead or support; its lead queue is where leads entered by hand go too.
    let classifier: TicketClassifier
    private let csatStep: CSATReplyStep
    private let conversationStep: TicketConversationStep
    private let assignment: TicketAssignment
    /// What agents do on tickets (workflow moves, replies); canned replies are sent through it too.
    let desk: TicketDesk
    private let links: RecordLinks
    private let context: FeatureContext

    /// - Throws: ``ConfigError`` naming `tickets.classification_file` when the rules file cannot be read.
    /// - Parameters:
    ///   - whatsApp: sends agent replies and CSAT surveys.
    ///   - links: the record links shown in ticket answers.
    ///   - observers: code run inside every status change's transaction, after the CSAT survey's.
    init(_ context: FeatureContext, whatsApp: WhatsAppSender, links: RecordLinks,
         observers: [any TicketTransitionObserver] = []) throws {
        self.context = context
        self.links = links
        let config = context.config, settings = config.tickets
        classifier = try settings.classificationFile.map {
            try TicketClassifier.load(path: $0, key: "tickets.classification_file (TICKET_CLASSIFICATION_FILE)")
        } ?? .supportOnly
        if settings.classificationFile == nil {
            context.log.warning("ticket_classification_disabled", ["reason": "tickets.classification_file is null"])
        }
        let messages = TicketMessageSender(whatsApp: whatsApp)
        let survey = CSATSurveyObserver(messages: messages, settings: config.csat, metrics: context.metrics,
                                        log: context.log)
        workflow = TicketWorkflow(sla: TicketSLA(settings: settings), observers: [survey] + observers)
        csatStep = CSATReplyStep(settings: config.csat, log: context.log)
        assignment = TicketAssignment(settings: settings, workflow: workflow)
        conversationStep = TicketConversationStep(workflow: workflow, classifier: classifier,
                                                  reopenWindowMilliseconds: Int64(settings.reopenWindowMilliseconds),
                                                  assignment: assignment,
                                                  openingObservers: context.ticketObservers)
        desk = TicketDesk(database: context.store.database, workflow: workflow,
                          replies: TicketReplies(messages: messages))
        archiver = TicketArchiver(database: context.store.database,
                                  reopenWindowMilliseconds: Int64(settings.reopenWindowMilliseconds),
                                  metrics: context.metrics, log: context.log, clock: context.clock)
        scheduler = TicketSLAScheduler(database: context.store.database, metrics: context.metrics, log: context.log,
                                       clock: context.clock, intervalMilliseconds: settings.slaCheckIntervalMilliseconds)
    }

    var inboundSteps: [any InboundItemStep] {
        [csatStep, conversationStep, TicketEchoStep(), TicketCallStep(conversation: conversationStep)]
    }
    var services: [any Service] { [scheduler, archiver] }
    var personalData: [any PersonalDataHolder] { [ConversationsPersonalData()] }

    /// The ticket workflow (`/v1/tickets/{id}/status|assignment|…`), replies and the CSAT report.
    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        let (clock, desk) = (context.clock, desk)
        let claim = Int64(context.config.tickets.claimMilliseconds)
        TicketWorkflowRoutes(desk: desk, links: links, scope: routes.tickets, clock: clock, claimMilliseconds: claim)
            .register(in: &router)
        TicketReplyRoutes(desk: desk, scope: routes.tickets, clock: clock, claimMilliseconds: claim).register(in: &router)
        TicketWorkflowRoutes(desk: desk, links: links, scope: routes.tickets, clock: clock, claimMilliseconds: claim)
            .registerBulkAssignment(in: &router)
        CSATRoutes(desk: desk, clock: clock).register(in: &router)
        AgentRoutes(availability: AgentAvailability(database: context.store.database, assignment: assignment),
                    clock: clock).register(in: &router)
    }
}
