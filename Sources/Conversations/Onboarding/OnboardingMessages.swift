import CRM
import Foundation
import GatewayKit
import Messaging
import Storage

/// What the merchant hears about their onboarding over WhatsApp, in the booking's transaction: the confirmation
/// (`onboarding_confirmation`), the move (`onboarding_rescheduled`) or the cancellation (`onboarding_cancelled`) at
/// once, attached to the lead ticket; and, for a booked session, the reminders (`onboarding_reminder`) the day before
/// and an hour before, queued for their time (``WhatsAppSend/notBeforeMillis``). A reminder falling in the team's
/// quiet hours waits for their end; one that would then go at or after the start, or whose time has passed, is not
/// sent. All are templates: a lead entered by hand may never have written. The merchant is named by the lead's name,
/// else their profile name, else "Customer" / "Pelanggan"; times are spoken in the team's time zone and the ticket's
/// language.
struct OnboardingMessages: Sendable {
    static let purpose = "onboarding"
    static let reminderPurpose = "onboarding_reminder"

    enum Notice: String {
        case booked = "onboarding_confirmation"
        case rescheduled = "onboarding_rescheduled"
        case cancelled = "onboarding_cancelled"

        /// What happened, as the ticket history (`onboarding_<change>`) and the audit log (`onboarding.<change>`) say.
        var change: String {
            switch self {
            case .booked: return "booked"
            case .rescheduled: return "rescheduled"
            case .cancelled: return "cancelled"
            }
        }
    }

    /// The WhatsApp messages of one version of a booking.
    struct Sent: Sendable {
        var confirmation: Int64?
        var dayBefore: Int64?
        var hourBefore: Int64?
    }

    let messages: TicketMessageSender
    let calendar: OnboardingCalendar

    func send(_ notice: Notice, _ booking: OnboardingBooking, ticket: WorkflowTicket, to customer: TicketCustomer,
              now: Int64, in c: any DatabaseConnection) throws -> Sent {
        let catalog = messages.whatsApp.catalog
        let language = catalog.language(ticket.language, ifAvailableFor: notice.rawValue) ?? catalog.defaultLanguage
        let name = try LeadTable.find(ticketID: ticket.id, in: c)?.name ?? customer.name
            ?? (language == "ms" ? "Pelanggan" : "Customer")
        let when = calendar.spoken(booking.startsAt, language: language)
        let key = "onboarding:\(booking.id):\(booking.sequence)"
        let parameters = notice == .cancelled ? [name, when] : [name, when, booking.owner]
        var sent = Sent()
        sent.confirmation = try messages.send(.template(name: notice.rawValue, language: language, parameters: parameters),
                                              to: customer, ticketID: ticket.id, purpose: Self.purpose,
                                              idempotencyKey: "\(key):\(notice.rawValue)", author: Self.purpose,
                                              now: now, in: c).outbound.id
        guard notice != .cancelled else { return sent }
        let reminder = WhatsAppContent.template(name: "onboarding_reminder", language: language, parameters: [name, when])
        func remind(before millis: Int64, _ label: String) throws -> Int64? {
            guard let at = reminderTime(booking.startsAt - millis, start: booking.startsAt, now: now) else { return nil }
            return try messages.whatsApp.enqueue(WhatsAppSend(
                recipient: customer.recipient, content: reminder, purpose: Self.reminderPurpose,
                reference: TicketReference.of(ticket.id), idempotencyKey: "\(key):\(label)", notBeforeMillis: at),
                in: c).id
        }
        sent.dayBefore = try remind(before: 86_400_000, "day_before")
        sent.hourBefore = try remind(before: 3_600_000, "hour_before")
        return sent
    }

    /// When a reminder planned for `planned` goes: after the quiet hours, before the start and after now; else nil.
    func reminderTime(_ planned: Int64, start: Int64, now: Int64) -> Int64? {
        let at = calendar.settings.quietHours?.sendTime(for: planned, in: calendar.zone) ?? planned
        return at > now && at < start ? at : nil
    }

    /// Takes back the reminders of the booking's current version that are still waiting.
    static func withdrawReminders(of booking: OnboardingBooking, reason: String, now: Int64,
                                  in c: any DatabaseConnection) throws {
        for message in try OnboardingBookingTable.reminders(of: booking.id, in: c) {
            _ = try WhatsAppSendWithdrawal.withdraw(messageID: message, reason: reason, at: now, in: c)
        }
    }
}
