import Configuration
import Delivery
import GatewayKit
import POSAdapter
import Retail

/// The POS feature assembled from configuration: the outlet writer (pushes), the daily pull when `pos.sync_url` is
/// set, and the routes. The ``OutletChangeObserver`` given here sees every outlet change from pushes and pulls.
struct POSWiring {
    let writer: OutletWriter
    /// Nil without `pos.sync_url`.
    let sync: DailyJob?

    init(config: GatewayConfig, store: SQLiteGatewayStore, observer: any OutletChangeObserver,
         metrics: MetricsRegistry, log: EventLog, clock: @escaping @Sendable () -> Int64) {
        writer = OutletWriter(observer: observer, defaultTimeZone: config.pos.defaultTimeZone)
        sync = config.pos.syncURL.map { url in
            let pull = POSPull(source: POSSnapshotClient(url: url, settings: config.pos),
                               importer: POSSnapshotImport(settings: config.pos, observer: observer, metrics: metrics),
                               store: store, settings: config.pos, metrics: metrics, log: log)
            return POSSyncTask.job(pull: pull, settings: config.pos, metrics: metrics, log: log, clock: clock)
        }
    }

    /// `/v1/pos/outlets[/{oid}]`.
    func registerRoutes(in router: inout Router, store: SQLiteGatewayStore, auth: AdminAuth, settings: POSSettings,
                        clock: @escaping @Sendable () -> Int64) {
        POSRoutes(store: store, auth: auth, settings: settings, writer: writer, clock: clock).register(in: &router)
    }
}
