import Configuration
import Conversations
import Delivery
import HTTPClient
import Messaging

/// Onboarding sessions booked on lead tickets: the Merchant Success team's free slots, booking, rescheduling and
/// cancelling with the merchant's WhatsApp confirmation and reminders, and the calendar invite (e-mailed to its owner
/// when `smtp.url` is set).
struct OnboardingFeature: Feature {
    private let context: FeatureContext
    private let desk: OnboardingDesk
    /// Nil without `smtp.url`.
    private let inviteMail: OnboardingInviteMail?

    /// - Parameter whatsApp: sends the confirmations and reminders.
    init(_ context: FeatureContext, whatsApp: WhatsAppSender) {
        self.context = context
        let desk = OnboardingDesk(database: context.store.database, settings: context.config.onboarding,
                                  messages: TicketMessageSender(whatsApp: whatsApp))
        self.desk = desk
        let smtp = context.config.smtp
        inviteMail = smtp.url.map { url in
            OnboardingInviteMail(mailer: SMTPMailer(url: url, from: smtp.from, username: smtp.username,
                                                    password: smtp.password),
                                 desk: desk, metrics: context.metrics, log: context.log)
        }
    }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        OnboardingRoutes(desk: desk, inviteMail: inviteMail, scope: routes.tickets, clock: context.clock).register(in: &router)
    }
}
