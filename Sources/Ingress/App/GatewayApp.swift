import Adapters
import Delivery
import Foundation
import GatewayCore
import GatewayKit
import HTTPServer

/// A running gateway: store, HTTP server, routes and background workers wired from one ``GatewayConfig``.
/// `gateway serve` runs one; black-box tests start one in-process on an ephemeral port.
public final class GatewayApp: @unchecked Sendable {
    public let config: GatewayConfig
    public let store: any GatewayStore
    public let metrics: MetricsRegistry
    public let log: EventLog
    public let normalizer: InboxNormalizer
    /// Applies normalized inbox items through the inbound steps: identity first, then renewal opt-outs and replies,
    /// outlet picks and CSAT answers, conversation tickets and outlet resolution.
    public let inboundApplier: InboundItemApplier
    /// Records SLA breaches of conversation tickets (move the clock, then `wake()` it in tests).
    public let ticketSLAScheduler: TicketSLAScheduler
    /// Delivers the outbox; started after the server, stopped before the store closes.
    public let dispatcher: OutboxDispatcher
    /// Fetches chat-history previews for new timeline entries, off the request path.
    public let timelineWorker: TimelinePreviewWorker
    /// Purges timeline entries older than a year (and old Idempotency-Keys) daily at `retention.time`, and at start.
    public let retention: DailyJob
    /// The routes the server dispatches (read-only; `registeredRoutes` lists them for the OpenAPI coverage test).
    public let router: Router
    /// The daily POS pull; nil without `pos.sync_url`.
    public let posSync: DailyJob?
    /// Queues outbound WhatsApp messages (text, templates, lists) through the outbox.
    public let whatsAppSender: WhatsAppSender
    /// Applies WhatsApp delivery statuses to the outbound message rows.
    public let whatsAppStatusApplier: WhatsAppStatusApplier
    /// The renewal reminder run (what the daily job and `gateway renewals run` execute).
    public let renewalScheduler: RenewalScheduler
    /// The daily renewal run; nil unless `renewals.enabled`.
    public let renewalJob: DailyJob?
    private let server: HTTPServer
    /// Every background worker and, last, the HTTP server: started in this order, stopped in reverse.
    private let services: ServiceGroup
    private let stateLock = NSLock()
    private var stopped = false

    /// Opens the store (applying migrations), loads the WhatsApp templates and prepares everything; nothing listens
    /// until ``start()``. Throws ``WhatsAppTemplateError`` for a bad template folder.
    /// - Parameters:
    ///   - now: unix seconds, for signature tolerance checks (tests move time).
    ///   - clockMillis: unix milliseconds for outbound delivery (retry times, leases, breaker cool-downs), record
    ///     creation times and timeline fetch scheduling (tests move it, then call `dispatcher.wake()`; or freeze it
    ///     to check the same-millisecond tie-break of room previews), POS pull times, outlet change times and the
    ///     daily renewal run (tests move it, then call `renewalJob?.wake()`) and the daily retention purge.
    ///   - outletObserver: told about new outlets and changed expiry dates / statuses inside the writing
    ///     transaction (pushes and pulls); nil = `.configured(by: config)` (the renewal bookkeeping).
    public init(config: GatewayConfig, log: EventLog = EventLog(),
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                clockMillis: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
                outletObserver: (any OutletChangeObserver)? = nil) throws {
        self.config = config
        self.log = log
        let metrics = MetricsRegistry()
        self.metrics = metrics
        let store = try SQLiteGatewayStore(config: config.store)
        self.store = store
        // Only WhatsApp deliveries are normalized later: a bot or agent command is applied inside its request and its
        // delivery is stored already processed, with the answer, in the command's transaction.
        let normalizer = InboxNormalizer(
            store: store, normalizers: [WhatsAppWebhookNormalizer()],
            metrics: metrics, pollIntervalMilliseconds: config.normalizer.pollIntervalMilliseconds,
            batchSize: config.normalizer.batchSize)
        self.normalizer = normalizer

        metrics.registerGauge("gateway_inbox_depth", help: "Deliveries committed but not yet normalized") {
            [(labels: [], value: Double((try? store.inboxDepth()) ?? -1))]
        }
        metrics.registerGauge("gateway_store_write_queue_depth", help: "Writes waiting for the single writer") {
            [(labels: [], value: Double(store.writer.queueDepth))]
        }
        let whatsApp: WhatsAppWiring
        let tickets: TicketWiring
        do {
            // Renewal attempts and ticket messages show the delivery of what is sent for them (reminders; replies,
            // surveys).
            whatsApp = try WhatsAppWiring(config: config, store: store, metrics: metrics,
                                          listeners: [RenewalWiring.listener(metrics: metrics), TicketDeliveryListener()],
                                          textSets: [OutletChoiceList.texts, RenewalReply.acknowledgement],
                                          clock: clockMillis)
            tickets = try TicketWiring(config: config, store: store, whatsApp: whatsApp.sender, metrics: metrics,
                                       log: log, clock: clockMillis)
        } catch {
            store.close()
            throw error
        }
        whatsAppSender = whatsApp.sender
        whatsAppStatusApplier = whatsApp.statusApplier
        ticketSLAScheduler = tickets.scheduler
        let outlets = OutletLinkWiring(config: config, sender: whatsApp.sender, texts: whatsApp.texts, log: log)
        let renewals = RenewalWiring(config: config, store: store, sender: whatsApp.sender, texts: whatsApp.texts,
                                     metrics: metrics, log: log, clock: clockMillis)
        renewalScheduler = renewals.scheduler
        renewalJob = renewals.job
        let identityMode = IdentityMode(enabled: config.multiBSUIDEnabled)
        let identityEvents = IdentityEventRoute(config: config)
        // The order is the contract between steps: identity resolves the sender, message steps that may consume a
        // message (a renewal opt-out, an outlet pick, a CSAT answer) or route it (a renewal reply names the renewals
        // queue) run next, the ticket step files what is left, and outlet resolution looks at the ticket it was
        // filed on.
        inboundApplier = InboundItemApplier(
            writer: store.writer,
            steps: [IdentityStep(mode: identityMode, events: identityEvents), RenewalOptOutStep(),
                    renewals.replyStep, outlets.choiceStep, tickets.csatStep, tickets.conversationStep,
                    outlets.resolutionStep],
            metrics: metrics, clock: clockMillis,
            pollIntervalMilliseconds: config.normalizer.pollIntervalMilliseconds, batchSize: config.normalizer.batchSize)
        let endpoints = OutboundEndpoint.all(from: config)
        let dispatcher: OutboxDispatcher
        do {
            // Reads which endpoints a 410 disabled: they start disabled.
            dispatcher = try OutboxDispatcher(writer: store.writer, databasePath: config.store.path,
                                              endpoints: endpoints, settings: config.outbound,
                                              classifiers: whatsApp.classifiers, observers: whatsApp.observers,
                                              metrics: metrics, log: log,
                                              drainTimeout: TimeInterval(config.server.drainTimeoutSeconds),
                                              clock: clockMillis)
        } catch {
            store.close()
            throw error
        }
        self.dispatcher = dispatcher
        OutboundGauges.register(in: metrics, dispatcher: dispatcher, store: store, now: clockMillis)

        let records = RecordWiring(config: config, store: store, metrics: metrics, log: log, clock: clockMillis)
        timelineWorker = records.timelineWorker
        retention = records.retention
        let pos = POSWiring(config: config, store: store,
                            observer: outletObserver ?? .configured(by: config), metrics: metrics, log: log,
                            clock: clockMillis)
        posSync = pos.sync

        let ingest = InboxIngest(store: store, metrics: metrics, log: log, onStored: { normalizer.wake() })
        var router = Router()
        HealthRoutes(store: store, metrics: metrics).register(in: &router)
        WhatsAppWebhookRoutes(verifier: MetaSignatureVerifier(appSecret: config.whatsapp.appSecret),
                              verifyToken: config.whatsapp.verifyToken, ingest: ingest).register(in: &router)
        let bots = config.botWebhooks
        func botVerifier(_ secrets: [String]) -> StandardWebhookVerifier {
            StandardWebhookVerifier(secrets: secrets.compactMap(WebhookSecret.init(encoded:)),
                                    toleranceSeconds: bots.toleranceSeconds)
        }
        if bots.sharesSecrets {
            log.warning("bot_webhook_secrets_shared", [
                "detail": "a route without its own secrets accepts BOT_WEBHOOK_SECRETS: a request signed for one bot "
                    + "route verifies on the other (replays are still answered once); set CHATBOT_WEBHOOK_SECRETS and "
                    + "AGENT_WEBHOOK_SECRETS",
            ])
        }
        BotWebhookRoutes(chatbotVerifier: botVerifier(bots.chatbot), agentVerifier: botVerifier(bots.agent),
                         ingest: ingest, commands: records.commands, now: now).register(in: &router)
        let admin = AdminAuth(token: config.adminToken)
        DeadLetterRoutes(store: store, auth: admin, now: clockMillis).register(in: &router)
        EndpointRoutes(store: store, dispatcher: dispatcher, endpoints: endpoints, auth: admin, now: clockMillis)
            .register(in: &router)
        records.registerRoutes(in: &router, store: store, auth: admin)
        tickets.registerRoutes(in: &router, store: store, links: records.links, auth: admin, clock: clockMillis)
        outlets.registerRoutes(in: &router, store: store, links: records.links, auth: admin, metrics: metrics,
                               clock: clockMillis)
        ContactRoutes(store: store, auth: admin, editor: ContactEditor(mode: identityMode, events: identityEvents),
                      metrics: metrics).register(in: &router)
        pos.registerRoutes(in: &router, store: store, auth: admin, settings: config.pos, clock: clockMillis)
        whatsApp.registerRoutes(in: &router, store: store, auth: admin)
        renewals.registerRoutes(in: &router, store: store, auth: admin, config: config, clock: clockMillis)
        self.router = router

        var serverConfig = HTTPServerConfiguration()
        serverConfig.host = config.server.host
        serverConfig.port = UInt16(config.server.port)
        if config.server.threadPoolSize > 0 { serverConfig.threadPoolSize = config.server.threadPoolSize }
        serverConfig.connectionTimeoutSeconds = UInt32(config.server.connectionTimeoutSeconds)
        serverConfig.maxBodyBytes = config.server.maxBodyBytes
        serverConfig.connectionLimit = UInt32(config.server.connectionLimit)
        serverConfig.headerTimeoutSeconds = UInt32(config.server.headerTimeoutSeconds)
        serverConfig.bodyTimeoutSeconds = UInt32(config.server.bodyTimeoutSeconds)
        serverConfig.perIPConnectionLimit = UInt32(config.server.perIPConnectionLimit)
        server = HTTPServer(configuration: serverConfig, handler: GatewayHTTPHandler(router: router, metrics: metrics))
        // Workers first, the server last: on shutdown the server stops taking requests before the workers stop, and
        // the dispatcher drains what the last requests enqueued.
        let workers: [(any Service)?] = [normalizer, inboundApplier, ticketSLAScheduler, whatsAppStatusApplier,
                                         dispatcher, timelineWorker, retention, posSync, renewalJob]
        services = ServiceGroup(workers.compactMap { $0 }
                                + [HTTPService(server, drainTimeout: TimeInterval(config.server.drainTimeoutSeconds))])
    }

    /// Starts the background workers, then listens. When the server cannot listen, the workers are stopped again and
    /// the store is closed before the error is thrown.
    public func start() throws {
        do {
            try services.start()
        } catch {
            store.close()
            throw error
        }
        log.info("gateway_started", ["host": config.server.host, "port": String(server.port)])
    }

    /// The port actually bound (useful when configured as 0).
    public var port: UInt16 { server.port }

    /// Graceful stop: no new connections, in-flight requests finish (up to the drain timeout), the workers stop in
    /// reverse order of their start (the dispatcher drains its requests in flight), the store finishes queued writes
    /// and closes. Idempotent.
    public func shutdown() {
        stateLock.lock()
        let alreadyStopped = stopped
        stopped = true
        stateLock.unlock()
        guard !alreadyStopped else { return }
        log.info("gateway_stopping", ["in_flight": String(server.inFlightRequests)])
        services.stop()
        store.close()
        log.info("gateway_stopped")
    }
}
