import Access
import Configuration
import Conversations
import Delivery
import GatewayKit
import WhatsAppAdapter

/// Customers' media: the inbound step that queues a download for every image, document, audio, video or sticker
/// filed on a ticket, the downloader fetching them through the Cloud API into the media folder, and the route agents
/// read them by. Retention (`media.retention`) is among the app's ``RetentionRules``.
struct MediaFeature: Feature {
    let downloader: MediaDownloader
    private let files: MediaFileStore
    private let context: FeatureContext

    init(_ context: FeatureContext) {
        self.context = context
        let config = context.config
        files = MediaFileStore(config)
        let source = CloudAPIMediaClient(apiURL: config.whatsapp.apiURL, accessToken: config.whatsapp.accessToken,
                                         timeoutMilliseconds: config.media.downloadTimeoutMilliseconds,
                                         maxBytes: config.media.maxBytes)
        let downloader = MediaDownloader(database: context.store.database, source: source, files: files,
                                         settings: config.media, metrics: context.metrics, log: context.log,
                                         clock: context.clock)
        self.downloader = downloader
        context.metrics.registerGauge("gateway_media_downloads_pending",
                                      help: "Customers' media files waiting for their download (queued or retrying)") {
            downloader.backlog().map { [(labels: [], value: Double($0))] } ?? []
        }
    }

    var inboundSteps: [any InboundItemStep] {
        let downloader = self.downloader
        return [TicketMediaStep(wake: { downloader.wake() })]
    }

    var services: [any Service] { [downloader] }
    var personalData: [any PersonalDataHolder] { [MediaPersonalData(files: files)] }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        MediaRoutes(media: TicketMediaFiles(database: context.store.database, files: files), scope: routes.tickets)
            .register(in: &router)
    }
}
