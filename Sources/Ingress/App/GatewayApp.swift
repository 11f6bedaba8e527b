import Access
import Analytics
import Campaigns
import CRM
import Configuration
import Conversations
import Delivery
import Foundation
import GatewayKit
import Identity
import HTTPServer
import Messaging
import Retail
import Storage

/// A running gateway: store, HTTP server, routes and background workers wired from one ``GatewayConfig``.
/// `gateway serve` runs one; black-box tests start one in-process on an ephemeral port.
public final class GatewayApp: @unchecked Sendable {
    public let config: GatewayConfig
    public let store: any GatewayStore
    public let metrics: MetricsRegistry
    public let log: EventLog
    public let normalizer: InboxNormalizer
    /// Who leads and how the instances sharing a PostgreSQL database wake each other (one instance alone on SQLite).
    public let cluster: ClusterCoordination
    /// Applies normalized inbox items through the inbound steps: identity first, then renewal opt-outs and replies,
    /// outlet picks and CSAT answers, conversation tickets and outlet resolution.
    public let inboundApplier: InboundItemApplier
    /// Records SLA breaches of conversation tickets (move the clock, then `wake()` it in tests).
    public let ticketSLAScheduler: TicketSLAScheduler
    /// Archives conversation tickets whose reopen window has ended.
    public let ticketArchiver: TicketArchiver
    /// Delivers the outbox; started after the server, stopped before the store closes.
    public let dispatcher: OutboxDispatcher
    /// Fetches chat-history previews for new timeline entries, off the request path.
    public let timelineWorker: TimelinePreviewWorker
    /// The retention purge (``RetentionRules``: timeline entries, message bodies, audit events, raw deliveries, …)
    /// daily at `retention.time` and at start; `wake()` it in tests after moving the clock.
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
    /// The nightly evaluation of every active segment at `segments.evaluation_time` (and once at start).
    public let segmentEvaluation: DailyJob
    /// Mails the daily and weekly desk summaries.
    public let deskSummary: DailyJob
    /// Queues campaign messages at the campaign pace.
    public let campaignSending: CampaignSending
    /// Downloads customers' media (move the clock past a retry's delay, then `wake()` it in tests).
    public let mediaDownloader: MediaDownloader
    let server: HTTPServer
    /// The certificate files of an HTTPS gateway, re-read by ``reloadTLS()``; nil for plain HTTP.
    let tlsFiles: TLSFiles?
    /// Works out who each `/v1` request is from (tokens, sessions, the bootstrap `ADMIN_TOKEN`).
    private let authenticator: Authenticator
    /// Every background worker and, last, the HTTP server: started in this order, stopped in reverse.
    private let services: ServiceGroup
    private let stateLock = NSLock()
    private var stopped = false

    /// Opens the store (applying migrations), loads the WhatsApp templates and prepares everything; nothing listens
    /// until ``start()``. Throws ``WhatsAppTemplateError`` for a bad template folder, ``ConfigError`` naming
    /// `server.tls_cert` or `server.tls_key` for certificate files that cannot be served.
    /// - Parameters:
    ///   - clock: unix milliseconds, the one clock every part reads: webhook receipt and signature tolerance, record
    ///     and identity change times, outbound delivery (retry times, leases, breaker cool-downs), timeline fetch
    ///     scheduling, POS pulls, outlet changes, the daily renewal run and retention purge. Tests move it, then wake
    ///     the worker concerned (`dispatcher.wake()`, `renewalJob?.wake()`), or freeze it to check the
    ///     same-millisecond tie-break of room previews.
    ///   - outletObserver: told about new outlets and changed expiry dates / statuses inside the writing
    ///     transaction (pushes and pulls); nil = `.configured` (the renewal bookkeeping).
    public convenience init(
        config: GatewayConfig, log: EventLog = EventLog(),
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
        outletObserver: (any OutletChangeObserver)? = nil
    ) throws {
        try self.init(config: config, log: log, clock: clock, outletObserver: outletObserver,
                      additionalFeatures: { _ in [] })
    }

    /// The same with features beyond the product's own, listed after them (an extension's inbound source, a test's
    /// sample feature).
    package init(config: GatewayConfig, log: EventLog, clock clockMillis: @escaping @Sendable () -> Int64,
                 outletObserver: (any OutletChangeObserver)?,
                 additionalFeatures: (FeatureContext) throws -> [any Feature]) throws {
        self.config = config
        self.log = log
        // Certificate problems stop start-up before the store is even opened.
        tlsFiles = TLSFiles(config.server)
        let tls = try Self.loadTLS(tlsFiles, server: config.server, log: log)
        let metrics = MetricsRegistry()
        self.metrics = metrics
        let store = try GatewayStores.open(config.store, migrations: GatewaySchema.migrations)
        self.store = store
        InboxGauges.register(in: metrics, store: store, now: clockMillis)
        metrics.registerGauge("gateway_store_write_queue_depth", help: "Writes waiting for the single writer") {
            [(labels: [], value: Double(store.database.queuedWrites))]
        }
        metrics.registerGauge("gateway_inbox_log_write_queue_depth",
                              help: "Appends waiting for the inbox log's writer (503 beyond its queue capacity)") {
            [(labels: [], value: Double(store.inboxLog.database.queuedWrites))]
        }

        let cluster = ClusterCoordination.of(store, settings: config.store)
        self.cluster = cluster
        cluster.registerGauges(in: metrics)
        // A new ticket opens in the desk's change feed and is queued for the figures, in the transaction that
        // inserts it.
        let context = FeatureContext(config: config, store: store, metrics: metrics, log: log, clock: clockMillis,
                                     ticketObservers: [TicketOpenedEvents(), AnalyticsTicketMarks()])
        let features: [any Feature]
        let endpoints = OutboundEndpoint.all(from: config)
        do {
            let records = RecordsFeature(context)
            // Renewal attempts and ticket messages show the delivery of what is sent for them (reminders; replies,
            // surveys).
            let whatsApp = try WhatsAppFeature(
                context, listeners: [RenewalsFeature.deliveryListener(metrics: metrics), TicketDeliveryListener(),
                                     CampaignsFeature.deliveryListener],
                textSets: [OutletChoiceList.texts, RenewalReply.acknowledgement, LeadPrompts.texts])
            let tickets = try TicketsFeature(context, whatsApp: whatsApp.sender, links: records.links)
            let renewals = RenewalsFeature(context, sender: whatsApp.sender, texts: whatsApp.texts)
            let pos = POSFeature(context, observer: outletObserver ?? .configured)
            let access = AccessFeature(context)
            let identity = IdentityFeature(context)
            let segments = SegmentsFeature(context)
            let campaigns = CampaignsFeature(context, sender: whatsApp.sender)
            let media = MediaFeature(context)
            let analytics = AnalyticsFeature(context)
            authenticator = access.authenticator
            // The product, one line per feature. Inbound steps run phase by phase (identify, consume, file,
            // enrich) and in this order within a phase: a renewal STOP or RENEW, then an outlet pick, then a CSAT
            // answer, before the ticket step files what is left, the outlet step enriches its ticket and the lead step
            // asks a new lead who they are.
            features = [
                access,
                identity,
                whatsApp,
                records,
                BotWebhooksFeature(context, commands: records.commands),
                renewals,
                OutletLinksFeature(context, sender: whatsApp.sender, texts: whatsApp.texts, links: records.links),
                tickets,
                media,
                DeskContentFeature(context, catalog: whatsApp.sender.catalog, desk: tickets.desk),
                LeadsFeature(context, whatsApp: whatsApp.sender, texts: whatsApp.texts, contacts: identity.editor,
                             queue: tickets.classifier.leadQueue),
                OnboardingFeature(context, whatsApp: whatsApp.sender),
                pos,
                segments,
                campaigns,
                analytics,
                ExportsFeature(context),
                TicketEventsFeature(context),
                ConsoleFeature(context),
            ] + (try additionalFeatures(context))
            segmentEvaluation = segments.job
            deskSummary = analytics.summaryJob
            campaignSending = campaigns.sending
            mediaDownloader = media.downloader
            whatsAppSender = whatsApp.sender
            whatsAppStatusApplier = whatsApp.statusApplier
            ticketSLAScheduler = tickets.scheduler
            ticketArchiver = tickets.archiver
            renewalScheduler = renewals.scheduler
            renewalJob = renewals.job
            timelineWorker = records.timelineWorker
            posSync = pos.sync
            // Reads which endpoints a 410 disabled: they start disabled.
            dispatcher = try OutboxDispatcher(
                database: store.database, endpoints: endpoints, settings: config.outbound,
                classifiers: Self.byEndpoint(features.map(\.classifiers)),
                observers: Self.byEndpoint(features.map(\.observers)), metrics: metrics, log: log,
                drainTimeout: TimeInterval(config.server.drainTimeoutSeconds),
                instances: { cluster.liveInstances }, clock: clockMillis)
        } catch {
            store.close()
            throw error
        }
        OutboundGauges.register(in: metrics, dispatcher: dispatcher, store: store, now: clockMillis)

        // Only WhatsApp deliveries are normalized later: a bot or agent command is applied inside its request and its
        // delivery is stored already processed, with the answer, in the command's transaction.
        let inboundApplier = InboundItemApplier(
            database: store.database, steps: features.flatMap(\.inboundSteps), metrics: metrics, clock: clockMillis,
            pollIntervalMilliseconds: config.normalizer.pollIntervalMilliseconds,
            batchSize: config.normalizer.batchSize, leadership: cluster.leadership)
        self.inboundApplier = inboundApplier
        let normalizer = InboxNormalizer(
            store: store, normalizers: features.flatMap(\.normalizers), metrics: metrics,
            pollIntervalMilliseconds: config.normalizer.pollIntervalMilliseconds,
            batchSize: config.normalizer.batchSize,
            logRetentionMilliseconds: config.store.inboxLogRetentionMilliseconds, clock: clockMillis,
            applier: inboundApplier, burstRatePerSecond: config.normalizer.burstRatePerSecond,
            burstDeferralMilliseconds: config.normalizer.burstDeferralMilliseconds, leadership: cluster.leadership)
        self.normalizer = normalizer

        var router = Router()
        HealthRoutes(store: store, metrics: metrics).register(in: &router)
        DeadLetterRoutes(deadLetters: DeadLetterService(database: store.database), now: clockMillis)
            .register(in: &router)
        EndpointRoutes(testEvents: TestEvents(database: store.database), dispatcher: dispatcher, endpoints: endpoints,
                       now: clockMillis).register(in: &router)
        let routes = RouteContext(
            ingest: InboxIngest(store: store, metrics: metrics, log: log, onStored: { normalizer.wake() },
                                             clock: clockMillis),
            tickets: TicketScope(records: RecordDirectory(database: store.database)))
        for feature in features { feature.registerRoutes(in: &router, routes) }
        // The identity module erases last: every other module finds the person by the identifiers it holds.
        let identity = IdentityPersonalData()
        PersonalDataRoutes(requests: PersonalDataRequests(
            database: store.database, inboxLog: store.inboxLog.database, subjects: identity,
            holders: features.flatMap(\.personalData) + [identity], log: log), clock: clockMillis).register(in: &router)
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
        serverConfig.tls = tls
        server = HTTPServer(configuration: serverConfig, handler: GatewayHTTPHandler(
            router: router, metrics: metrics, gate: AccessGate(authenticator: authenticator, perimeter: Perimeter(settings: config.access),
                                                     clock: clockMillis)))
        // Workers first, the server last: on shutdown the server stops taking requests before the workers stop, and
        // the features' workers stop before the dispatcher, which drains what they and the last requests enqueued.
        retention = RetentionTask.job(rules: RetentionRules.all(config), database: store.database,
                                      minuteOfDay: config.retention.minuteOfDay, metrics: metrics, log: log,
                                      clock: clockMillis)
        let workers = features.flatMap(\.services) + [retention]
        for job in workers.compactMap({ $0 as? DailyJob }) { job.leadership = cluster.leadership }
        services = ServiceGroup([HeapTrimmer(metrics: metrics), cluster, normalizer, inboundApplier, dispatcher]
                                + workers
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
        log.info("gateway_started", ["host": config.server.host, "port": String(server.port),
                                     "scheme": tlsFiles == nil ? "http" : "https"])
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

    /// One table of per-endpoint parts from every feature's; two features reading one endpoint is a wiring mistake.
    private static func byEndpoint<Part>(_ tables: [[EndpointName: Part]]) -> [EndpointName: Part] {
        tables.reduce(into: [:]) { merged, table in
            merged.merge(table) { _, _ in preconditionFailure("two features read the same outbound endpoint") }
        }
    }
}
