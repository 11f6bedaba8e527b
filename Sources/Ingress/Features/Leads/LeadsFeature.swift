import Access
import Configuration
import Conversations
import Delivery
import Identity
import Messaging

/// Sales leads: a new contact whose first message reads like a sales enquiry is asked over WhatsApp for their name,
/// business and interest (``LeadCaptureStep``); sales enter leads from calls and fairs by hand (`POST /v1/leads`);
/// `GET /v1/tickets/{id}/lead` shows what is known of a lead.
struct LeadsFeature: Feature {
    private let context: FeatureContext
    private let capture: LeadCaptureStep
    private let intake: LeadIntake

    /// - Parameters:
    ///   - whatsApp: sends the questions; `texts` holds their words.
    ///   - contacts: names the contact (the lead's name).
    ///   - queue: where lead tickets go (the classifier's lead queue).
    init(_ context: FeatureContext, whatsApp: WhatsAppSender, texts: WhatsAppTextCatalog, contacts: ContactEditor,
         queue: String) {
        self.context = context
        capture = LeadCaptureStep(messages: TicketMessageSender(whatsApp: whatsApp), texts: texts, contacts: contacts)
        intake = LeadIntake(database: context.store.database, contacts: contacts,
                            sla: TicketSLA(settings: context.config.tickets), queue: queue,
                            ticketObservers: context.ticketObservers)
    }

    var inboundSteps: [any InboundItemStep] { [capture] }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        LeadRoutes(intake: intake, scope: routes.tickets, clock: context.clock).register(in: &router)
    }
}
