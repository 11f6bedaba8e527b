import Foundation
import Storage

/// Renewal opt-out by WhatsApp reply: a message that is exactly `STOP` or `BERHENTI` (any case, surrounding spaces
/// ignored) opts the sender's phone out of renewal reminders; `START` or `MULA` opts it back in. The keyword's
/// language (`en` / `ms`) becomes that phone's reminder language.
///
/// Opting out, in the caller's transaction: `renewal_opt_outs` records the phone; its reminders still waiting for the
/// end of quiet hours are withdrawn (`cancelled`); open cycles of outlets whose every phone has now opted out become
/// `opted_out`. Later runs record `skipped_opt_out` for the phone. Opting back in reverses the last two for the
/// future: `opted_out` cycles reopen (a reminder day that passed meanwhile stays passed).
///
/// Self-contained so the inbound-message pipeline can run it as a step before the ticket step, which must not see
/// the keyword as a support message (``handle(text:phone:contactID:at:in:)`` answers whether it took the message).
public struct RenewalOptOut: Sendable {
    /// What a reply asks for.
    public enum Keyword: Sendable, Equatable {
        case optOut(language: String)
        case optIn(language: String)
    }

    public init() {}

    /// The keyword `text` is, if any.
    public static func keyword(_ text: String?) -> Keyword? {
        // BERHENTI is the longest.
        switch text.flatMap({ RenewalKeywordText.normalized($0, longest: 8) }) {
        case "STOP": return .optOut(language: "en")
        case "BERHENTI": return .optOut(language: "ms")
        case "START": return .optIn(language: "en")
        case "MULA": return .optIn(language: "ms")
        default: return nil
        }
    }

    /// Applies `text` from the sender (`phone` in international digits, or — for a sender known only by BSUID — the
    /// phones of customer `contactID`) at `at` (unix ms).
    /// - Returns: true when the text was a keyword and changed something (an opt-out, or an opt-in of a phone that
    ///   had opted out): the message is handled. False otherwise (also for START from a phone that never opted out).
    public func handle(text: String?, phone: String?, contactID: String?, at: Int64,
                       in connection: any DatabaseConnection) throws -> Bool {
        guard let keyword = Self.keyword(text) else { return false }
        return try handle(keyword, text: text, phone: phone, contactID: contactID, at: at, in: connection)
    }

    /// The same for a `text` already known to be `keyword` (``keyword(_:)``).
    public func handle(_ keyword: Keyword, text: String?, phone: String?, contactID: String?, at: Int64,
                       in connection: any DatabaseConnection) throws -> Bool {
        let phones = try RenewalSenderPhones.of(phone: phone, contactID: contactID, in: connection)
        var changed = false
        for phone in phones {
            switch keyword {
            case .optOut(let language):
                try RenewalOptOutTable.optOut(phone, contactID: contactID, keyword: text ?? "", language: language,
                                              at: at, in: connection)
                try RenewalWithdrawal.withdraw(phone: phone, reason: "opted out", at: at, in: connection)
                try RenewalOptOutTable.stopCycles(of: phone, at: at, in: connection)
                changed = true
            case .optIn(let language):
                guard try RenewalOptOutTable.optIn(phone, keyword: text ?? "", language: language, at: at,
                                                   in: connection) else { continue }
                try RenewalOptOutTable.reopenCycles(of: phone, at: at, in: connection)
                changed = true
            }
        }
        return changed
    }
}
