import Delivery
import GatewayKit
import Storage

/// An onboarding booked on a lead ticket, as `onboarding_bookings` holds it.
public struct OnboardingBooking: Sendable, Equatable {
    public enum Status: String, Sendable {
        case booked, cancelled
    }

    public let id: Int64
    public let ticketID: Int64
    /// The invite's UID: the same for every version of this booking.
    public let uid: String
    /// The invite's SEQUENCE: 0 when booked, +1 at each reschedule and at the cancellation.
    public var sequence: Int64
    public var status: Status
    public var startsAt: Int64
    public var endsAt: Int64
    public var owner: String
    /// Unix ms of the last change (the invite's DTSTAMP).
    public var updatedAt: Int64

    /// `{"ticket_id", "status", "start", "end", "owner", "sequence", "uid"}`.
    public var json: JSONValue {
        ["ticket_id": .integer(ticketID), "status": .string(status.rawValue), "start": .string(Timestamps.rfc3339(startsAt)),
         "end": .string(Timestamps.rfc3339(endsAt)), "owner": .string(owner), "sequence": .integer(sequence),
         "uid": .string(uid)]
    }
}

/// The `onboarding_bookings` table.
enum OnboardingBookingTable {
    static func find(ticketID: Int64, in c: any DatabaseConnection) throws -> OnboardingBooking? {
        try c.queryOne("SELECT * FROM onboarding_bookings WHERE ticket_id = ?", [.integer(ticketID)]).map(booking)
    }

    /// The starts of the booked slots in `[from, to)`.
    static func bookedStarts(from: Int64, to: Int64, in c: any DatabaseConnection) throws -> Set<Int64> {
        Set(try c.query("""
            SELECT starts_at FROM onboarding_bookings WHERE status = 'booked' AND starts_at >= ? AND starts_at < ?
            """, [.integer(from), .integer(to)]).compactMap { $0.int64("starts_at") })
    }

    /// The ticket holding slot `start`, nil when it is free.
    static func holder(of start: Int64, in c: any DatabaseConnection) throws -> Int64? {
        try c.queryOne("SELECT ticket_id FROM onboarding_bookings WHERE status = 'booked' AND starts_at = ?",
                       [.integer(start)])?.int64("ticket_id")
    }

    /// A new booking (sequence 0), or a cancelled one booked again (its next sequence, same UID).
    static func book(ticketID: Int64, uid: String, start: Int64, end: Int64, owner: String, by actor: String,
                     now: Int64, in c: any DatabaseConnection) throws -> OnboardingBooking {
        try c.run("""
            INSERT INTO onboarding_bookings (ticket_id, uid, status, starts_at, ends_at, owner, booked_by, created_at,
                                             updated_at)
            VALUES (?, ?, 'booked', ?, ?, ?, ?, ?, ?)
            ON CONFLICT (ticket_id) DO UPDATE SET status = 'booked', sequence = onboarding_bookings.sequence + 1,
                starts_at = excluded.starts_at, ends_at = excluded.ends_at, owner = excluded.owner,
                booked_by = excluded.booked_by, updated_at = excluded.updated_at
            """, [.integer(ticketID), .text(uid), .integer(start), .integer(end), .text(owner), .text(actor),
                  .integer(now), .integer(now)])
        guard let saved = try find(ticketID: ticketID, in: c) else {
            throw StoreConsistencyError(detail: "onboarding of ticket \(ticketID) vanished")
        }
        return saved
    }

    /// Moves or cancels the booking: its next version.
    static func save(_ booking: OnboardingBooking, now: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE onboarding_bookings SET status = ?, sequence = ?, starts_at = ?, ends_at = ?, owner = ?, updated_at = ?
            WHERE id = ?
            """, [.text(booking.status.rawValue), .integer(booking.sequence), .integer(booking.startsAt),
                  .integer(booking.endsAt), .text(booking.owner), .integer(now), .integer(booking.id)])
    }

    /// The WhatsApp messages of the booking's current version.
    static func attach(_ messages: OnboardingMessages.Sent, to bookingID: Int64, in c: any DatabaseConnection) throws {
        try c.run("""
            UPDATE onboarding_bookings SET confirmation_message_id = ?, day_before_message_id = ?,
                                           hour_before_message_id = ?
            WHERE id = ?
            """, [SQLValue(messages.confirmation), SQLValue(messages.dayBefore), SQLValue(messages.hourBefore),
                  .integer(bookingID)])
    }

    /// The reminders of the booking's current version (to withdraw them).
    static func reminders(of bookingID: Int64, in c: any DatabaseConnection) throws -> [Int64] {
        guard let row = try c.queryOne("""
            SELECT day_before_message_id, hour_before_message_id FROM onboarding_bookings WHERE id = ?
            """, [.integer(bookingID)]) else { return [] }
        return [row.int64("day_before_message_id"), row.int64("hour_before_message_id")].compactMap { $0 }
    }

    private static func booking(_ row: Row) -> OnboardingBooking {
        OnboardingBooking(id: row.int64("id") ?? 0, ticketID: row.int64("ticket_id") ?? 0, uid: row.string("uid") ?? "",
                          sequence: row.int64("sequence") ?? 0,
                          status: row.string("status").flatMap(OnboardingBooking.Status.init) ?? .cancelled,
                          startsAt: row.int64("starts_at") ?? 0, endsAt: row.int64("ends_at") ?? 0,
                          owner: row.string("owner") ?? "", updatedAt: row.int64("updated_at") ?? 0)
    }
}
