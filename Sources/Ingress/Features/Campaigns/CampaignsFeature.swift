import Access
import Campaigns
import Configuration
import Delivery
import GatewayKit
import Messaging

/// WhatsApp campaigns to segments: the API, the loop that queues their messages at the campaign pace, the inbound
/// step that notices replies. The delivery listener is given to the WhatsApp feature (``deliveryListener``).
struct CampaignsFeature: Feature {
    let sending: CampaignSending
    private let campaigns: CampaignService
    private let context: FeatureContext

    /// Reflects campaign messages' statuses on their recipients (a ``WhatsAppStatusListener``).
    static let deliveryListener: any WhatsAppStatusListener = CampaignDeliveryListener()

    init(_ context: FeatureContext, sender: WhatsAppSender) {
        self.context = context
        let sending = CampaignSending(database: context.store.database, sender: sender,
                                      settings: context.config.campaigns, metrics: context.metrics, log: context.log,
                                      clock: context.clock)
        self.sending = sending
        campaigns = CampaignService(database: context.store.database, sender: sender, started: { sending.wake() })
    }

    var inboundSteps: [any InboundItemStep] { [CampaignReplyStep(settings: context.config.campaigns)] }
    var services: [any Service] { [sending] }
    var personalData: [any PersonalDataHolder] { [CampaignsPersonalData()] }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        CampaignRoutes(campaigns: campaigns, clock: context.clock).register(in: &router)
    }
}
