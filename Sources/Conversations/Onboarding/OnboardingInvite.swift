import GatewayKit

/// The RFC 5545 calendar invite of an onboarding (`GET /v1/tickets/{id}/onboarding.ics`): one VEVENT whose UID never
/// changes and whose SEQUENCE counts the versions (a reschedule or a cancellation is +1), so calendars update the
/// event they already hold. `METHOD:REQUEST` while booked, `METHOD:CANCEL` with `STATUS:CANCELLED` once cancelled.
/// Times are UTC; text values are escaped (backslash, `;`, `,`, line breaks); lines end with CRLF and are folded to
/// at most 75 octets without splitting a UTF-8 character (RFC 5545 §3.1).
public enum OnboardingInvite {
    public static let contentType = "text/calendar; charset=utf-8"
    static let maxOctets = 75

    /// The invite for `booking` of ticket `ticketID`; `lead` names the merchant in the summary when known.
    public static func calendar(_ booking: OnboardingBooking, lead: Lead?) -> String {
        let cancelled = booking.status == .cancelled
        let merchant = lead?.business ?? lead?.name
        let summary = "Onboarding" + (merchant.map { ": \($0)" } ?? "") + " (\(TicketReference.of(booking.ticketID)))"
        var description = "Merchant Success onboarding for ticket \(TicketReference.of(booking.ticketID))"
        if let name = lead?.name { description += "\nMerchant: \(name)" }
        if let business = lead?.business { description += "\nBusiness: \(business)" }
        if let interest = lead?.interest { description += "\nInterest: \(interest)" }
        description += "\nOwner: \(booking.owner)"
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Integration gateway//Onboarding//EN", "CALSCALE:GREGORIAN",
            "METHOD:" + (cancelled ? "CANCEL" : "REQUEST"),
            "BEGIN:VEVENT",
            "UID:" + booking.uid,
            "SEQUENCE:\(booking.sequence)",
            "DTSTAMP:" + utc(booking.updatedAt),
            "DTSTART:" + utc(booking.startsAt),
            "DTEND:" + utc(booking.endsAt),
            "SUMMARY:" + escaped(summary),
            "DESCRIPTION:" + escaped(description),
            "STATUS:" + (cancelled ? "CANCELLED" : "CONFIRMED"),
        ]
        if booking.owner.contains("@") {
            lines.append("ORGANIZER;CN=" + quotedParameter(booking.owner) + ":mailto:" + booking.owner)
        }
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(folded).joined()
    }

    /// `20260707T020000Z`.
    static func utc(_ millis: Int64) -> String {
        let text = Timestamps.rfc3339(millis)  // 2026-07-07T02:00:00.000Z
        return text.prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
    }

    /// A TEXT value: `\` `;` `,` escaped, line breaks as `\n`.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// A parameter value in double quotes (they may not hold a quote themselves).
    static func quotedParameter(_ text: String) -> String { "\"" + text.filter { $0 != "\"" } + "\"" }

    /// `line` + CRLF, folded: at most 75 octets a line, continuation lines starting with one space.
    static func folded(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = String(scalar).utf8.count
            if octets + width > maxOctets {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += width
        }
        return out + "\r\n"
    }
}
