import Delivery
import Messaging
import Storage

/// A merchant's answer to a renewal reminder: a WhatsApp message that is exactly one of `renewals.reply_keywords`
/// (RENEW, PERBAHARUI by default; any case, spaces around ignored) — what the reminder templates ask for.
///
/// In the caller's transaction, for the sender's phone (or, for a sender known only by BSUID, their customer's
/// phones): every `open` cycle of an outlet listing it becomes `customer_replied` (`replied_at` set), its reminders
/// still waiting for the end of quiet hours are withdrawn (`cancelled`), and the daily run sends it no more. The
/// merchant gets a short free-text acknowledgement (`texts/renewal_reply_received.json`) in the language of the
/// reminder they answered, else the language their phone last spoke to us in, else `whatsapp.default_language` —
/// queued through the WhatsApp kit (message row and outbox row in the same transaction), purpose `renewal_reply`,
/// reference the first cycle's id. Free text needs the 24-hour window, which the reply itself opened; a reply read
/// later than that, or a send the kit refuses (no phone number id), goes unacknowledged but still counts.
///
/// A keyword from a phone without an open cycle is not a renewal reply: nothing happens here.
public struct RenewalReply: Sendable {
    /// The `purpose` of acknowledgements.
    public static let purpose = "renewal_reply"
    /// The acknowledgement's words.
    public static let acknowledgement = WhatsAppTextSet(name: "renewal_reply_received", fields: ["body": 0])

    /// What became of the acknowledgement (the `acknowledgement` label of `gateway_renewal_replies_total`).
    public enum Acknowledgement: String, Sendable {
        case sent
        /// The kit refused the send (e.g. no `WHATSAPP_PHONE_NUMBER_ID`).
        case refused
        /// The reply was read more than 24 hours after it was written: free text is no longer allowed.
        case windowClosed = "window_closed"
    }

    /// What a reply did.
    public struct Outcome: Sendable, Equatable {
        /// The cycles now `customer_replied`, by id.
        public let renewalIDs: [Int64]
        public let acknowledgement: Acknowledgement
    }

    let keywords: Set<String>
    let longestKeyword: Int
    let sender: WhatsAppSender
    let texts: WhatsAppTextCatalog

    public init(settings: RenewalSettings, sender: WhatsAppSender, texts: WhatsAppTextCatalog) {
        keywords = Set(settings.replyKeywords)
        longestKeyword = settings.replyKeywords.map(\.utf8.count).max() ?? 0
        self.sender = sender
        self.texts = texts
    }

    /// Whether `text` is one of the keywords.
    public func isKeyword(_ text: String?) -> Bool {
        text.flatMap { RenewalKeywordText.normalized($0, longest: longestKeyword) }.map(keywords.contains) ?? false
    }

    /// Applies `message` from customer `contactID` (nil when the identity mode resolved nobody) at `now` (unix ms).
    /// `isKeyword`: whether its text is a keyword, when already known (``isKeyword(_:)`` off the writer); nil: looked
    /// at here.
    /// - Returns: nil when it is not a renewal reply (no keyword, or no open cycle for the sender).
    public func handle(_ message: InboundMessage, isKeyword: Bool? = nil, contactID: String?, now: Int64,
                       in connection: any DatabaseConnection) throws -> Outcome? {
        guard isKeyword ?? self.isKeyword(message.displayText) else { return nil }
        let phones = try RenewalSenderPhones.of(phone: message.senderPhone, contactID: contactID, in: connection)
        let ids = try RenewalReplyTable.openCycles(listing: phones, in: connection)
        guard let first = ids.first else { return nil }
        for id in ids {
            try RenewalWithdrawal.withdraw(renewal: id, reason: "customer replied", at: now, in: connection)
            try RenewalReplyTable.markReplied(id, at: now, in: connection)
        }
        let language = try RenewalReplyTable.language(renewals: ids, phones: phones, in: connection)
        return Outcome(renewalIDs: ids, acknowledgement: try acknowledge(message, renewalID: first, language: language,
                                                                         now: now, in: connection))
    }

    private func acknowledge(_ message: InboundMessage, renewalID: Int64, language: String?, now: Int64,
                             in connection: any DatabaseConnection) throws -> Acknowledgement {
        guard CustomerServiceWindow.evaluate(lastCustomerMessageAt: message.timestamp * 1000, now: now).allowsFreeForm
        else { return .windowClosed }
        guard let recipient = message.senderPhone.map(WhatsAppRecipient.phone)
                ?? message.senderUserID.map(WhatsAppRecipient.bsuid) else { return .refused }
        let body = texts.texts(Self.acknowledgement, language: language).text("body")
        do {
            _ = try sender.enqueue(WhatsAppSend(recipient: recipient, content: .text(body), purpose: Self.purpose,
                                                reference: String(renewalID),
                                                idempotencyKey: "\(Self.purpose):\(message.id)"), in: connection)
            return .sent
        } catch is WhatsAppSendError {
            return .refused
        }
    }
}
