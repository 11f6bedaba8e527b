import Configuration
import Conversations
import Delivery
import Messaging

/// Onboarding sessions booked on lead tickets: the Merchant Success team's free slots, booking, rescheduling and
/// cancelling with the merchant's WhatsApp confirmation and reminders, and the calendar invite.
struct OnboardingFeature: Feature {
    private let context: FeatureContext
    private let desk: OnboardingDesk

    /// - Parameter whatsApp: sends the confirmations and reminders.
    init(_ context: FeatureContext, whatsApp: WhatsAppSender) {
        self.context = context
        desk = OnboardingDesk(database: context.store.database, settings: context.config.onboarding,
                              messages: TicketMessageSender(whatsApp: whatsApp))
    }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        OnboardingRoutes(desk: desk, scope: routes.tickets, clock: context.clock).register(in: &router)
    }
}
