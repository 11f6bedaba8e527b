import Access
import Analytics
import Configuration
import Delivery
import GatewayKit

/// The support desk's figures: rollups kept up to date as tickets move (``AnalyticsRollups``) and
/// `/v1/analytics/{figure}` over them.
struct AnalyticsFeature: Feature {
    let desk: AnalyticsDesk

    init(_ context: FeatureContext) {
        let rollups = AnalyticsRollups(database: context.store.database, settings: context.config.analytics,
                                       metrics: context.metrics, log: context.log, clock: context.clock)
        desk = AnalyticsDesk(database: context.store.database, rollups: rollups, settings: context.config.analytics,
                             clock: context.clock)
    }

    var services: [any Service] { [desk.rollups] }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        AnalyticsRoutes(desk: desk).register(in: &router)
    }
}
