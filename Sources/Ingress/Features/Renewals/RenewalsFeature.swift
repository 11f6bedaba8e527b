import Configuration
import Delivery
import Foundation
import GatewayKit
import Messaging
import Retail

/// Renewal reminders: the scheduler (sending through WhatsApp), the daily run when `renewals.enabled`, the inbound
/// steps taking merchants' STOP and RENEW replies, the renewal gauges and the API. The outlet observer is not here:
/// every writer of outlets takes it from ``OutletChangeObserver/configured``; the delivery listener is given to the
/// WhatsApp feature (``deliveryListener(metrics:)``).
struct RenewalsFeature: Feature {
    let scheduler: RenewalScheduler
    /// Nil unless `renewals.enabled`.
    let job: DailyJob?
    /// Takes RENEW replies (after the opt-out step, in the same phase).
    let replyStep: RenewalReplyStep
    private let reports: RenewalReports
    private let context: FeatureContext

    /// Reflects reminder delivery failures on their attempts (a ``WhatsAppStatusListener``).
    static func deliveryListener(metrics: MetricsRegistry) -> any WhatsAppStatusListener {
        RenewalDeliveryListener(metrics: metrics)
    }

    /// - Parameter texts: holds ``RenewalReply/acknowledgement``.
    init(_ context: FeatureContext, sender: WhatsAppSender, texts: WhatsAppTextCatalog) {
        self.context = context
        let config = context.config, store = context.store
        scheduler = RenewalScheduler(config: config, sender: sender)
        replyStep = RenewalReplyStep(reply: RenewalReply(settings: config.renewals, sender: sender, texts: texts),
                                     queue: config.renewals.replyQueue)
        job = config.renewals.enabled
            ? RenewalRunTask.job(scheduler: scheduler, database: store.database, metrics: context.metrics,
                                 log: context.log, clock: context.clock)
            : nil
        let reports = RenewalReports(database: store.database)
        self.reports = reports
        context.metrics.registerGauge("gateway_renewals",
                                      help: "Renewal cycles by status (renewed = recovered or on time)") {
            reports.countsByStatus().map { (labels: [("status", $0.status)], value: Double($0.count)) }
        }
        context.metrics.registerGauge("gateway_renewals_renewed",
                                      help: "Renewed cycles, by whether a reminder had been sent when the renewal "
                                          + "arrived") {
            reports.renewedCountsByReminder().map { (labels: [("after_reminder", $0.afterReminder)],
                                                     value: Double($0.count)) }
        }
    }

    var inboundSteps: [any InboundItemStep] { [RenewalOptOutStep(), replyStep] }
    var services: [any Service] { job.map { [$0] } ?? [] }

    /// `/v1/renewals`.
    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        RenewalRoutes(reports: reports, timeZone: .named(context.config.pos.defaultTimeZone),
                      clock: context.clock).register(in: &router)
    }
}
