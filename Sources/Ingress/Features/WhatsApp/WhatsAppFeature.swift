import Access
import Configuration
import Delivery
import Foundation
import GatewayKit
import Messaging
import WhatsAppAdapter

/// WhatsApp both ways. In: the signed Cloud API webhook (committed to the inbox, normalized later). Out: the
/// template catalog and the free-form texts (loaded and checked here, so a bad template or text stops start-up), the
/// sender other features call, what the dispatcher needs for the `whatsapp` endpoint (response classifier, outcome
/// recorder), the status applier and the admin send routes.
struct WhatsAppFeature: Feature {
    let sender: WhatsAppSender
    /// The words features send as free text (`<templates_dir>/texts/`).
    let texts: WhatsAppTextCatalog
    let statusApplier: WhatsAppStatusApplier
    private let messages: WhatsAppMessages
    private let ledger: WhatsAppMessageLedger
    private let context: FeatureContext

    /// - Parameters:
    ///   - listeners: told every status change of a message (the features that send register theirs here).
    ///   - textSets: the free-form texts features send; each must be in the texts folder.
    /// - Throws: ``WhatsAppTemplateError`` when the template folder is missing or holds a bad template or text.
    init(_ context: FeatureContext, listeners: [any WhatsAppStatusListener] = [],
         textSets: [WhatsAppTextSet] = []) throws {
        self.context = context
        let config = context.config, store = context.store
        let catalog = try WhatsAppTemplateCatalog.load(directory: config.whatsapp.templatesDirectory,
                                                       defaultLanguage: config.whatsapp.defaultLanguage)
        let textsDirectory = (config.whatsapp.templatesDirectory as NSString)
            .appendingPathComponent(WhatsAppTextCatalog.folder)
        texts = try WhatsAppTextCatalog.load(directory: textsDirectory, sets: textSets,
                                             defaultLanguage: config.whatsapp.defaultLanguage)
        sender = WhatsAppSender(catalog: catalog, phoneNumberID: config.whatsapp.phoneNumberID, clock: context.clock)
        ledger = WhatsAppMessageLedger(listeners: listeners)
        statusApplier = WhatsAppStatusApplier(
            database: store.database, ledger: ledger, metrics: context.metrics,
            pollIntervalMilliseconds: config.normalizer.pollIntervalMilliseconds, batchSize: config.normalizer.batchSize,
            clock: context.clock)
        let messages = WhatsAppMessages(database: store.database, sender: sender, metrics: context.metrics)
        self.messages = messages
        context.metrics.registerGauge("gateway_whatsapp_unmatched_statuses",
                                      help: "WhatsApp statuses waiting for their message's wamid (old ones: messages "
                                          + "sent elsewhere or lost answers)") {
            [(labels: [], value: Double(messages.unmatchedStatusCount()))]
        }
        context.metrics.registerGauge("gateway_whatsapp_template_status",
                                      help: "1 for the status Meta last reported of each template the gateway sends") {
            messages.usedTemplateStates().map {
                (labels: [("name", $0.name), ("language", $0.language), ("status", $0.status ?? "")], value: 1)
            }
        }
        context.metrics.registerGauge("gateway_whatsapp_account_event",
                                      help: "1 for the latest event Meta reported per account health topic") {
            messages.latestAccountEvents().map { (labels: [("topic", $0.topic), ("event", $0.event)], value: 1) }
        }
    }

    var normalizers: [any DeliveryNormalizer] { [WhatsAppWebhookNormalizer()] }
    var inboundSteps: [any InboundItemStep] {
        [WhatsAppTemplateUpdateStep(), WhatsAppAccountUpdateStep(), WhatsAppStatusStep(ledger: ledger)]
    }
    var classifiers: [EndpointName: any DeliveryResponseClassifier] {
        [WhatsAppSender.endpoint: WhatsAppResponseClassifier()]
    }
    var observers: [EndpointName: any OutboundDeliveryObserver] {
        [WhatsAppSender.endpoint: WhatsAppDeliveryRecorder(ledger: ledger, format: CloudAPIFormat())]
    }
    var services: [any Service] { [statusApplier] }
    var personalData: [any PersonalDataHolder] { [MessagingPersonalData()] }

    /// `/webhooks/whatsapp` (Meta's handshake and callbacks) and `/v1/whatsapp/messages`.
    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        let config = context.config.whatsapp
        WhatsAppWebhookRoutes(verifier: MetaSignatureVerifier(appSecret: config.appSecret),
                              verifyToken: config.verifyToken, ingest: routes.ingest).register(in: &router)
        WhatsAppMessageRoutes(messages: messages, clock: context.clock).register(in: &router)
    }
}
