import Access
import Configuration
import Delivery
import GatewayKit
import POSAdapter
import Retail

/// POS outlets: the outlet writer (pushes), the daily pull when `pos.sync_url` is set, and the routes. The
/// ``OutletChangeObserver`` given here sees every outlet change from pushes and pulls.
struct POSFeature: Feature {
    let writer: OutletWriter
    /// Nil without `pos.sync_url`.
    let sync: DailyJob?
    private let context: FeatureContext

    init(_ context: FeatureContext, observer: any OutletChangeObserver) {
        self.context = context
        let config = context.config, metrics = context.metrics, log = context.log
        writer = OutletWriter(observer: observer, defaultTimeZone: config.pos.defaultTimeZone)
        sync = config.pos.syncURL.map { url in
            let pull = POSPull(source: POSSnapshotClient(url: url, settings: config.pos),
                               importer: POSSnapshotImport(settings: config.pos, observer: observer, metrics: metrics),
                               store: context.store, settings: config.pos, metrics: metrics, log: log)
            return POSSyncTask.job(pull: pull, settings: config.pos, metrics: metrics, log: log, clock: context.clock)
        }
    }

    var services: [any Service] { sync.map { [$0] } ?? [] }
    var personalData: [any PersonalDataHolder] { [RetailPersonalData()] }

    /// `/v1/pos/outlets[/{oid}]`.
    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        POSRoutes(outlets: OutletService(database: context.store.database, writer: writer),
                  settings: context.config.pos, clock: context.clock).register(in: &router)
    }
}
