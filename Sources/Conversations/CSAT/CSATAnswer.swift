import Delivery
import Foundation
import GatewayKit
/// What a customer message could say to a CSAT survey, before any survey is looked at:
///
/// - a tap on a survey button: the quick-reply payload `csat:<ticket-ref>:<n>` (template `button` message) or an
///   interactive reply whose id has that form;
/// - a text of digits only (`"4"`, `" 5 "`, `"7"`, `"0"`): a typed rating, valid or not;
/// - any other text: a possible comment;
/// - anything else (media, reactions, other buttons): nothing CSAT reads.
public enum CSATAnswer: Sendable, Equatable {
    /// How a rating arrived (`csat_response.source`).
    public enum Source: String, Sendable {
        case button
        case text
    }

    /// A survey button; `ticketRef`/`rating` nil when the payload is malformed or the rating is not 1–5.
    case button(ticketRef: String?, rating: Int?)
    case number(Int)
    case text(String)
    case unrelated

    public static let payloadPrefix = "csat:"

    public init(_ message: InboundMessage) {
        if let payload = message.button?.payload ?? message.interactive?.id, payload.hasPrefix(Self.payloadPrefix) {
            self = Self.button(payload)
            return
        }
        guard message.type == .text, let text = message.text?.trimmingCharacters(in: .whitespacesAndNewlines),
              !text.isEmpty else {
            self = .unrelated
            return
        }
        if text.count <= 3, text.allSatisfy(\.isASCIIDigit), let number = Int(text) {
            self = .number(number)
        } else {
            self = .text(text)
        }
    }

    /// `csat:<ref>:<n>` with a non-empty ref and n in 1...5.
    private static func button(_ payload: String) -> CSATAnswer {
        let parts = payload.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[1].isEmpty else { return .button(ticketRef: nil, rating: nil) }
        let rating = parts[2].count == 1 ? Int(parts[2]).flatMap { (1...5).contains($0) ? $0 : nil } : nil
        return .button(ticketRef: String(parts[1]), rating: rating)
    }
}
