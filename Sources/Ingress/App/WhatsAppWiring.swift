import Configuration
import Delivery
import Foundation
import GatewayKit
import Messaging

/// The outbound WhatsApp kit assembled from configuration: the template catalog and the free-form texts (loaded and
/// checked here, so a bad template or text stops start-up), the sender other features call, what the dispatcher
/// needs for the `whatsapp` endpoint (response classifier, outcome recorder), the status applier and the admin
/// routes.
struct WhatsAppWiring {
    let sender: WhatsAppSender
    /// The words features send as free text (`<templates_dir>/texts/`).
    let texts: WhatsAppTextCatalog
    let ledger: WhatsAppMessageLedger
    let statusApplier: WhatsAppStatusApplier
    let classifiers: [String: any DeliveryResponseClassifier]
    let observers: [String: any OutboundDeliveryObserver]

    /// - Parameters:
    ///   - listeners: told every status change of a message (later features register theirs here).
    ///   - textSets: the free-form texts features send; each must be in the texts folder.
    /// - Throws: ``WhatsAppTemplateError`` when the template folder is missing or holds a bad template or text.
    init(config: GatewayConfig, store: SQLiteGatewayStore, metrics: MetricsRegistry,
         listeners: [any WhatsAppStatusListener] = [], textSets: [WhatsAppTextSet] = [],
         clock: @escaping @Sendable () -> Int64) throws {
        let catalog = try WhatsAppTemplateCatalog.load(directory: config.whatsapp.templatesDirectory,
                                                       defaultLanguage: config.whatsapp.defaultLanguage)
        let textsDirectory = (config.whatsapp.templatesDirectory as NSString)
            .appendingPathComponent(WhatsAppTextCatalog.folder)
        texts = try WhatsAppTextCatalog.load(directory: textsDirectory, sets: textSets,
                                             defaultLanguage: config.whatsapp.defaultLanguage)
        sender = WhatsAppSender(catalog: catalog, phoneNumberID: config.whatsapp.phoneNumberID, clock: clock)
        let ledger = WhatsAppMessageLedger(listeners: listeners)
        self.ledger = ledger
        statusApplier = WhatsAppStatusApplier(
            writer: store.writer, ledger: ledger, metrics: metrics,
            pollIntervalMilliseconds: config.normalizer.pollIntervalMilliseconds, batchSize: config.normalizer.batchSize,
            clock: clock)
        classifiers = [WhatsAppSender.endpoint: WhatsAppResponseClassifier()]
        observers = [WhatsAppSender.endpoint: WhatsAppDeliveryRecorder(ledger: ledger)]
        metrics.registerGauge("gateway_whatsapp_unmatched_statuses",
                              help: "WhatsApp statuses waiting for their message's wamid (old ones: messages sent "
                                  + "elsewhere or lost answers)") {
            [(labels: [], value: Double((try? store.read { connection in
                try connection.queryOne("SELECT count(*) AS n FROM whatsapp_unmatched_statuses")?.int("n") ?? 0
            }) ?? -1))]
        }
    }

    func registerRoutes(in router: inout Router, store: SQLiteGatewayStore, auth: AdminAuth) {
        WhatsAppMessageRoutes(store: store, sender: sender, auth: auth).register(in: &router)
    }
}
