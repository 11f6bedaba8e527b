import Conversations
import Dispatch
import GatewayKit
import HTTPClient

/// E-mails the onboarding invite to its owner after each booking, reschedule and cancellation, when `smtp.url` is
/// configured and the owner is an e-mail address. Sent off the request (after the change committed), once: a failed
/// mail is logged (`onboarding_invite_mail_failed`) and counted in
/// `gateway_onboarding_invite_mails_total{outcome="failed"}`; the invite stays at `GET …/onboarding.ics`.
struct OnboardingInviteMail: Sendable {
    let mailer: SMTPMailer
    let desk: OnboardingDesk
    let metrics: MetricsRegistry
    let log: EventLog

    /// Mails the current invite of ticket `ticketID` in the background.
    func mail(ticketID: Int64) {
        DispatchQueue.global().async { [self] in
            let outcome: String
            do {
                guard let (booking, lead) = try desk.booking(ofTicket: ticketID), booking.owner.contains("@") else { return }
                let cancelled = booking.status == .cancelled
                let ics = OnboardingInvite.calendar(booking, lead: lead)
                let merchant = lead?.business ?? lead?.name ?? "T-\(ticketID)"
                try mailer.send(MailMessage(
                    to: [booking.owner],
                    subject: (cancelled ? "Cancelled: " : booking.sequence > 0 ? "Moved: " : "") + "Onboarding: \(merchant)",
                    text: "Onboarding for ticket T-\(ticketID) (\(merchant)): \(cancelled ? "cancelled" : "see the invite").",
                    attachment: .init(fileName: "onboarding-T-\(ticketID).ics",
                                      contentType: OnboardingInvite.contentType + "; method=" + (cancelled ? "CANCEL" : "REQUEST"),
                                      bytes: Array(ics.utf8))))
                outcome = "sent"
            } catch {
                log.warning("onboarding_invite_mail_failed", ["ticket_id": String(ticketID), "error": "\(error)"])
                outcome = "failed"
            }
            metrics.increment("gateway_onboarding_invite_mails_total", [("outcome", outcome)],
                              help: "Onboarding invites e-mailed to their owner, by outcome (sent, failed)")
        }
    }
}
