import Configuration
import Delivery
import Foundation
import GatewayKit
import Messaging
import Retail

/// The renewal reminders assembled from configuration: the scheduler (sending through the WhatsApp kit), the daily
/// job when `renewals.enabled`, the inbound step taking merchants' renewal replies, the renewal gauges and the API.
/// The outlet observer is not here: every writer of outlets takes it from ``OutletChangeObserver/configured``;
/// the delivery listener is given to the WhatsApp wiring (``listener``).
struct RenewalWiring {
    let scheduler: RenewalScheduler
    /// Nil unless `renewals.enabled`.
    let job: DailyJob?
    /// Takes RENEW replies; ``GatewayApp`` puts it after the opt-out step.
    let replyStep: RenewalReplyStep

    /// Reflects reminder delivery failures on their attempts (a ``WhatsAppStatusListener``).
    static func listener(metrics: MetricsRegistry) -> any WhatsAppStatusListener {
        RenewalDeliveryListener(metrics: metrics)
    }

    /// - Parameter texts: holds ``RenewalReply/acknowledgement``.
    init(config: GatewayConfig, store: SQLiteGatewayStore, sender: WhatsAppSender, texts: WhatsAppTextCatalog,
         metrics: MetricsRegistry, log: EventLog, clock: @escaping @Sendable () -> Int64) {
        scheduler = RenewalScheduler(config: config, sender: sender)
        replyStep = RenewalReplyStep(reply: RenewalReply(settings: config.renewals, sender: sender, texts: texts),
                                     queue: config.renewals.replyQueue)
        job = config.renewals.enabled
            ? RenewalRunTask.job(scheduler: scheduler, writer: store.writer, metrics: metrics, log: log, clock: clock)
            : nil
        metrics.registerGauge("gateway_renewals", help: "Renewal cycles by status (renewed = recovered or on time)") {
            Self.counts(store, "SELECT status AS k, count(*) AS n FROM renewals GROUP BY status", label: "status")
        }
        metrics.registerGauge("gateway_renewals_renewed",
                              help: "Renewed cycles, by whether a reminder had been sent when the renewal arrived") {
            Self.counts(store, """
                SELECT CASE renewed_after_reminder WHEN 1 THEN 'true' ELSE 'false' END AS k, count(*) AS n
                FROM renewals WHERE status = 'renewed' GROUP BY k
                """, label: "after_reminder")
        }
    }

    func registerRoutes(in router: inout Router, store: SQLiteGatewayStore, auth: AdminAuth, config: GatewayConfig,
                        clock: @escaping @Sendable () -> Int64) {
        RenewalRoutes(store: store, auth: auth,
                      timeZone: .named(config.pos.defaultTimeZone),
                      clock: clock).register(in: &router)
    }

    private static func counts(_ store: SQLiteGatewayStore, _ sql: String,
                               label: String) -> [(labels: [(String, String)], value: Double)] {
        let rows = (try? store.read { try $0.query(sql) }) ?? []
        return rows.compactMap { row in
            row.string("k").map { (labels: [(label, $0)], value: Double(row.int64("n") ?? 0)) }
        }
    }
}
