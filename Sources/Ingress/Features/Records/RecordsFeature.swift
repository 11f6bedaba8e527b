import Access
import CRM
import ChatPanelAdapter
import Configuration
import Conversations
import Delivery
import GatewayKit
import OmnichannelAdapter

/// Deals and tickets as records: the command service (the bot webhooks and REST share it), the timeline preview
/// worker, and the record, room and timeline routes.
struct RecordsFeature: Feature {
    let links: RecordLinks
    let commands: RecordCommandService
    let timelineWorker: TimelinePreviewWorker
    private let context: FeatureContext

    init(_ context: FeatureContext) {
        self.context = context
        let config = context.config, store = context.store, clock = context.clock
        let links = RecordLinks(config.records)
        self.links = links
        let source = config.outbound[url: .chatPanel].map { ChatPanelHistoryClient(baseURL: $0, settings: config.records) }
        let worker = TimelinePreviewWorker(store: store, source: source, settings: config.records,
                                           metrics: context.metrics, log: context.log, clock: clock)
        timelineWorker = worker
        let applier = RecordCommandApplier(
            links: links, refreshes: RoomRefreshPublisher(encoder: OmnichannelRefreshEncoder(), links: links),
            conversationTickets: ConversationTicketEdits(), ticketObservers: context.ticketObservers, clock: clock)
        commands = RecordCommandService(database: store.database, applier: applier,
                                        reporter: CommandReporter(metrics: context.metrics, log: context.log),
                                        links: links, onTimelineEntries: { worker.wake() })
    }

    var services: [any Service] { [timelineWorker] }
    var personalData: [any PersonalDataHolder] { [RecordsPersonalData(links: links)] }

    /// `/v1/deals`, `/v1/tickets`, `/v1/rooms/{room_id}`, `/v1/timeline`.
    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        let records = RecordDirectory(database: context.store.database)
        for kind in RecordKind.allCases {
            RecordRoutes(kind: kind, records: records, commands: commands, scope: routes.tickets, clock: context.clock)
                .register(in: &router)
        }
        RoomRoutes(records: records, links: links).register(in: &router)
        TimelineRoutes(records: records, scope: routes.tickets).register(in: &router)
    }
}
