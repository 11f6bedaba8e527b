import Foundation
import GatewayKit

/// The variables a canned reply may hold, written `{{name}}` in its text and template parameters, and filled when an
/// agent sends it on a ticket. The list is fixed so that a typo is refused when the reply is saved (400 naming the
/// variable), not discovered by a customer reading `{{contact.nmae}}`:
/// - `contact.name`: the customer's WhatsApp profile name; "Customer" / "Pelanggan" (by the reply's language) when
///   none is known;
/// - `ticket.ref`: the ticket's reference as customers see it (`T-42`);
/// - `agent.name`: the name of the agent sending it (their credential's name).
public enum CannedReplyVariables {
    public static let names = ["agent.name", "contact.name", "ticket.ref"]

    /// What the variables stand for on one send.
    public struct Values: Sendable {
        public let contactName: String?
        public let ticketID: Int64
        public let agent: String

        public init(contactName: String?, ticketID: Int64, agent: String) {
            self.contactName = contactName
            self.ticketID = ticketID
            self.agent = agent
        }

        func value(of name: String, language: String) -> String {
            switch name {
            case "contact.name": return contactName ?? (language == "ms" ? "Pelanggan" : "Customer")
            case "ticket.ref": return TicketReference.of(ticketID)
            default: return agent
            }
        }
    }

    /// The names of the unknown variables in `text`, in order of appearance.
    public static func unknown(in text: String) -> [String] {
        placeholders(in: text).map(\.name).filter { !names.contains($0) }
    }

    /// `text` with every variable replaced by its value.
    public static func fill(_ text: String, with values: Values, language: String) -> String {
        var filled = ""
        var rest = Substring(text)
        for placeholder in placeholders(in: text) {
            filled += rest[rest.startIndex..<placeholder.range.lowerBound]
            filled += values.value(of: placeholder.name, language: language)
            rest = text[placeholder.range.upperBound...]
        }
        return filled + rest
    }

    /// Each `{{ name }}` of `text` (spaces inside the braces ignored) with its range.
    private static func placeholders(in text: String) -> [(name: String, range: Range<String.Index>)] {
        var found: [(name: String, range: Range<String.Index>)] = []
        var searchFrom = text.startIndex
        while let open = text.range(of: "{{", range: searchFrom..<text.endIndex),
              let close = text.range(of: "}}", range: open.upperBound..<text.endIndex) {
            let name = String(text[open.upperBound..<close.lowerBound]).trimmingSpaces
            found.append((name, open.lowerBound..<close.upperBound))
            searchFrom = close.upperBound
        }
        return found
    }
}
