import CRM
import ChatPanelAdapter
import Configuration
import Conversations
import Delivery
import GatewayKit
import OmnichannelAdapter

/// The deal/ticket feature assembled from configuration: the command service (webhooks and REST share it), the
/// timeline preview worker, the daily retention purge, and the routes. Kept apart from ``GatewayApp`` so the app only
/// starts and stops it.
struct RecordWiring {
    let links: RecordLinks
    let commands: RecordCommandService
    let timelineWorker: TimelinePreviewWorker
    let retention: DailyJob

    init(config: GatewayConfig, store: SQLiteGatewayStore, metrics: MetricsRegistry, log: EventLog,
         clock: @escaping @Sendable () -> Int64) {
        let links = RecordLinks(config.records)
        self.links = links
        let source = config.chatPanelURL.map { ChatPanelHistoryClient(baseURL: $0, settings: config.records) }
        let worker = TimelinePreviewWorker(store: store, source: source, settings: config.records, metrics: metrics,
                                           log: log, clock: clock)
        timelineWorker = worker
        retention = RetentionTask.job(store: store, minuteOfDay: config.records.retentionMinuteOfDay,
                                      metrics: metrics, log: log, clock: clock)
        let applier = RecordCommandApplier(
            links: links, refreshes: RoomRefreshPublisher(encoder: OmnichannelRefreshEncoder(), links: links),
            conversationTickets: ConversationTicketEdits(), clock: clock)
        commands = RecordCommandService(writer: store.writer, applier: applier,
                                        reporter: CommandReporter(metrics: metrics, log: log), links: links,
                                        onTimelineEntries: { worker.wake() })
    }

    /// The REST routes (`/v1/deals`, `/v1/tickets`, `/v1/rooms/{room_id}`, `/v1/timeline`).
    func registerRoutes(in router: inout Router, store: SQLiteGatewayStore, auth: AdminAuth) {
        for kind in RecordKind.allCases {
            RecordRoutes(kind: kind, store: store, commands: commands, links: links, auth: auth).register(in: &router)
        }
        RoomRoutes(store: store, links: links, auth: auth).register(in: &router)
        TimelineRoutes(store: store, auth: auth).register(in: &router)
    }
}
