import Configuration
import Delivery
import Foundation
import GatewayKit
import Messaging
import Retail
import Storage

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
        context.metrics.registerGauge("gateway_renewals",
                                      help: "Renewal cycles by status (renewed = recovered or on time)") {
            Self.counts(store, "SELECT status AS k, count(*) AS n FROM renewals GROUP BY status", label: "status")
        }
        context.metrics.registerGauge("gateway_renewals_renewed",
                                      help: "Renewed cycles, by whether a reminder had been sent when the renewal "
                                          + "arrived") {
            Self.counts(store, """
                SELECT CASE renewed_after_reminder WHEN 1 THEN 'true' ELSE 'false' END AS k, count(*) AS n
                FROM renewals WHERE status = 'renewed' GROUP BY k
                """, label: "after_reminder")
        }
    }

    var inboundSteps: [any InboundItemStep] { [RenewalOptOutStep(), replyStep] }
    var services: [any Service] { job.map { [$0] } ?? [] }

    /// `/v1/renewals`.
    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        RenewalRoutes(store: context.store, auth: routes.auth, timeZone: .named(context.config.pos.defaultTimeZone),
                      clock: context.clock).register(in: &router)
    }

    private static func counts(_ store: any GatewayStore, _ sql: String,
                               label: String) -> [(labels: [(String, String)], value: Double)] {
        let rows = (try? store.read { try $0.query(sql) }) ?? []
        return rows.compactMap { row in
            row.string("k").map { (labels: [(label, $0)], value: Double(row.int64("n") ?? 0)) }
        }
    }
}
