import GatewayCore

/// The conversation-ticket feature assembled from configuration (issue 6): the workflow, the inbound ticket step,
/// the SLA breach scheduler and the workflow routes. ``GatewayApp`` puts ``conversationStep`` last in the inbound
/// applier's steps and starts and stops the scheduler.
struct TicketWiring {
    let workflow: TicketWorkflow
    let conversationStep: TicketConversationStep
    let scheduler: TicketSLAScheduler

    /// - Throws: ``ConfigError`` naming `tickets.classification_file` when the rules file cannot be read.
    /// - Parameter observers: code run inside every status change's transaction (the CSAT phase adds one).
    init(config: GatewayConfig, store: SQLiteGatewayStore, metrics: MetricsRegistry, log: EventLog,
         clock: @escaping @Sendable () -> Int64, observers: [any TicketTransitionObserver] = []) throws {
        let settings = config.tickets
        let classifier = try settings.classificationFile.map {
            try TicketClassifier.load(path: $0, key: "tickets.classification_file (TICKET_CLASSIFICATION_FILE)")
        } ?? .supportOnly
        if settings.classificationFile == nil {
            log.warning("ticket_classification_disabled", ["reason": "tickets.classification_file is null"])
        }
        workflow = TicketWorkflow(sla: TicketSLA(settings: settings), observers: observers)
        conversationStep = TicketConversationStep(workflow: workflow, classifier: classifier,
                                                  reopenWindowMilliseconds: Int64(settings.reopenWindowMilliseconds))
        scheduler = TicketSLAScheduler(writer: store.writer, metrics: metrics, log: log, clock: clock,
                                       intervalMilliseconds: settings.slaCheckIntervalMilliseconds)
    }

    func registerRoutes(in router: inout Router, store: SQLiteGatewayStore, links: RecordLinks, auth: AdminAuth,
                        clock: @escaping @Sendable () -> Int64) {
        TicketWorkflowRoutes(store: store, workflow: workflow, links: links, auth: auth, clock: clock)
            .register(in: &router)
    }
}
