import Access
import Configuration
import Delivery
import GatewayKit
import Retail
import Segments

/// Customer segments: the rule catalogue, segment definitions and their members, the nightly evaluation and manual
/// refreshes, and the segments of one customer.
struct SegmentsFeature: Feature {
    private let segments: SegmentService
    /// The nightly evaluation of every active segment (and once at start).
    let job: DailyJob
    private let context: FeatureContext

    init(_ context: FeatureContext) {
        self.context = context
        let segments = SegmentService(database: context.store.database, settings: context.config.segments,
                                      events: context.config.outbound[url: .crm] != nil, log: context.log,
                                      metrics: context.metrics)
        self.segments = segments
        job = SegmentEvaluationTask.job(segments: segments, settings: context.config.segments, log: context.log,
                                        clock: context.clock)
    }

    var services: [any Service] { [job] }
    var personalData: [any PersonalDataHolder] { [SegmentsPersonalData()] }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        SegmentRoutes(segments: segments, visibility: ContactVisibility(database: context.store.database),
                      clock: context.clock).register(in: &router)
        SegmentChangeRoutes(segments: segments, clock: context.clock).register(in: &router)
    }
}
