import Access
import CRM
import Crypto
import Delivery
import GatewayKit
import Messaging
import Storage

/// Onboarding sessions on lead tickets: the free slots, booking, rescheduling and cancelling — each change in one
/// transaction with the merchant's WhatsApp messages (``OnboardingMessages``), the old reminders withdrawn, a ticket
/// history row and the audit row — and the calendar invite.
///
/// Refused before anything is written: an unknown ticket (404); a ticket that is not a lead, is closed, or has no
/// WhatsApp customer (409); a slot in the past or off the working-hours grid (400 naming `slot`); a slot another
/// ticket holds (409 naming it); a second booking of a booked ticket (409: reschedule it instead); rescheduling or
/// cancelling a ticket with no session booked (404).
public struct OnboardingDesk: Sendable {
    public let calendar: OnboardingCalendar
    private let database: any Database
    private let messages: OnboardingMessages

    public init(database: any Database, settings: OnboardingSettings, messages: TicketMessageSender) {
        self.database = database
        calendar = OnboardingCalendar(settings: settings)
        self.messages = OnboardingMessages(messages: messages, calendar: calendar)
    }

    /// The free slots in `[from, to)` not yet past at `now`. Blocking read.
    public func freeSlots(from: Int64, to: Int64, now: Int64) throws -> [Int64] {
        let booked = try database.read { try OnboardingBookingTable.bookedStarts(from: from, to: to, in: $0) }
        return calendar.slots(from: max(from, now + 1), to: to).filter { !booked.contains($0) }
    }

    /// The booking of ticket `ticketID` and its lead, nil when none was ever made. Blocking read.
    public func booking(ofTicket ticketID: Int64) throws -> (booking: OnboardingBooking, lead: Lead?)? {
        try database.read { c in
            try OnboardingBookingTable.find(ticketID: ticketID, in: c).map { ($0, try LeadTable.find(ticketID: ticketID, in: c)) }
        }
    }

    public func book(_ request: OnboardingRequest, on ticketID: Int64, by caller: Caller, now: Int64,
                     answer: @escaping Answer<JSONValue>) {
        change(ticketID, by: caller, now: now, answer: answer) { [calendar] ticket, existing, c in
            if existing?.status == .booked {
                throw GatewayError.conflict("ticket \(ticketID) already has an onboarding booked; PATCH it to reschedule")
            }
            try Self.checkSlot(request.start, for: ticketID, calendar: calendar, now: now, in: c)
            let uid = "onboarding-\(ticketID)-\(Hex.encode(SecureRandom.bytes(8)))@gateway"
            let booking = try OnboardingBookingTable.book(
                ticketID: ticketID, uid: uid, start: request.start, end: request.start + Int64(calendar.settings.slotMilliseconds),
                owner: request.owner ?? caller.actor, by: caller.actor, now: now, in: c)
            return (booking, .booked)
        }
    }

    public func reschedule(_ request: OnboardingRequest, on ticketID: Int64, by caller: Caller, now: Int64,
                           answer: @escaping Answer<JSONValue>) {
        change(ticketID, by: caller, now: now, answer: answer) { [calendar] _, existing, c in
            guard var booking = existing, booking.status == .booked else {
                throw GatewayError.notFound("ticket \(ticketID) has no onboarding booked")
            }
            try Self.checkSlot(request.start, for: ticketID, calendar: calendar, now: now, in: c)
            try OnboardingMessages.withdrawReminders(of: booking, reason: "onboarding rescheduled", now: now, in: c)
            booking.sequence += 1
            booking.startsAt = request.start
            booking.endsAt = request.start + Int64(calendar.settings.slotMilliseconds)
            booking.owner = request.owner ?? booking.owner
            return (booking, .rescheduled)
        }
    }

    public func cancel(on ticketID: Int64, by caller: Caller, now: Int64, answer: @escaping Answer<JSONValue>) {
        change(ticketID, by: caller, now: now, answer: answer) { _, existing, c in
            guard var booking = existing, booking.status == .booked else {
                throw GatewayError.notFound("ticket \(ticketID) has no onboarding booked")
            }
            try OnboardingMessages.withdrawReminders(of: booking, reason: "onboarding cancelled", now: now, in: c)
            booking.sequence += 1
            booking.status = .cancelled
            return (booking, .cancelled)
        }
    }

    /// Checks the ticket, runs `work` (which answers the booking's next version), saves it, messages the merchant
    /// and records the change.
    private func change(_ ticketID: Int64, by caller: Caller, now: Int64, answer: @escaping Answer<JSONValue>,
                        _ work: @escaping @Sendable (WorkflowTicket, OnboardingBooking?, any DatabaseConnection) throws
                            -> (OnboardingBooking, OnboardingMessages.Notice)) {
        database.write({ [messages] c in
            guard let ticket = try ConversationTicketTable.find(ticketID, in: c), ticket.deletedAt == nil else {
                throw GatewayError.notFound("no ticket with id \(ticketID)")
            }
            guard ticket.kind == "lead" else {
                throw GatewayError.conflict("ticket \(ticketID) is not a lead ticket: onboardings are booked on leads")
            }
            guard ticket.workflowStatus != .closed else { throw GatewayError.conflict("ticket \(ticketID) is closed") }
            guard let customer = try TicketCustomer.of(ticket, in: c) else {
                throw GatewayError.conflict("ticket \(ticketID) has no WhatsApp customer to tell about the onboarding")
            }
            var (booking, notice) = try work(ticket, try OnboardingBookingTable.find(ticketID: ticketID, in: c), c)
            booking.updatedAt = now
            try OnboardingBookingTable.save(booking, now: now, in: c)
            do {
                let sent = try messages.send(notice, booking, ticket: ticket, to: customer, now: now, in: c)
                try OnboardingBookingTable.attach(sent, to: booking.id, in: c)
            } catch let error as WhatsAppSendError {
                throw GatewayError(error)
            }
            try TicketHistory.record(ticketID, at: now, actor: caller.actor, action: "onboarding_\(notice.change)",
                                     to: Timestamps.rfc3339(booking.startsAt),
                                     detail: ["owner": .string(booking.owner), "sequence": .integer(booking.sequence)],
                                     in: c)
            try AuditTrail.record(AuditEntry(action: "onboarding.\(notice.change)", subjectType: "ticket",
                                             subjectID: String(ticketID), detail: ["sequence": .integer(booking.sequence)]),
                                  by: caller, at: now, in: c)
            return booking.json
        }, answer: answer)
    }

    /// `start` must begin a working-hours slot, lie ahead of `now`, and not be held by another ticket.
    private static func checkSlot(_ start: Int64, for ticketID: Int64, calendar: OnboardingCalendar, now: Int64,
                                  in c: any DatabaseConnection) throws {
        guard start > now else {
            throw GatewayError.validation([FieldError(field: "slot", message: "is in the past")])
        }
        guard calendar.isSlot(start) else {
            throw GatewayError.validation([FieldError(field: "slot", message: "is not the start of a working-hours slot "
                                                      + "(see GET /v1/onboarding/slots)")])
        }
        if let holder = try OnboardingBookingTable.holder(of: start, in: c), holder != ticketID {
            throw GatewayError.conflict("the slot \(Timestamps.rfc3339(start)) is already booked (ticket \(holder))")
        }
    }
}
