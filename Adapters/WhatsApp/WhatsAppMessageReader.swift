import Delivery
import GatewayKit

/// Reads one element of `value.messages[]` into an ``InboundMessage``, or into an ``InboundIdentityChange`` for the
/// system messages that announce a new phone number or BSUID.
///
/// Required: `id`, `timestamp`, `type`, a sender (`from` and/or `from_user_id`; BSUID-only senders have no `from`) and
/// the content object of known types (unless Meta's `errors[]` explains why it is missing). Unknown types are kept
/// with their raw object rather than rejected, so a new WhatsApp message type never turns into a poison item.
enum WhatsAppMessageReader {
    /// The members that name the customer: the sender of a customer's message (`from`), or the recipient of a message
    /// echoed from the WhatsApp Business app (`to`).
    struct Customer {
        let phone: String, userID: String, parentUserID: String
        static let sender = Customer(phone: "from", userID: "from_user_id", parentUserID: "from_parent_user_id")
        static let recipient = Customer(phone: "to", userID: "to_user_id", parentUserID: "to_parent_user_id")
    }

    static func read(_ object: [String: JSONValue], path: String, context: WhatsAppChangeContext,
                     contacts: [InboundContact], customer: Customer = .sender)
        -> Result<InboundEvent, WhatsAppElementError> {
        var fields = WhatsAppFields(object, prefix: path)
        let id = fields.requiredString("id")
        let senderPhone = fields.optionalID(customer.phone)
        let senderUserID = fields.optionalID(customer.userID)
        let senderParentUserID = fields.optionalID(customer.parentUserID)
        let timestamp = fields.requiredUnixTime("timestamp")
        let typeName = fields.requiredString("type")
        let (contextMessageID, forwarded) = readContext(&fields)
        let referral = readReferral(&fields)
        let errors = WhatsAppErrorsReader.read(&fields)
        if fields.member(customer.phone) == nil, fields.member(customer.userID) == nil {
            fields.fail(customer.phone, "or \(customer.userID) is required")
        }
        let type = typeName.map(InboundMessageType.init(rawValue:))
        var content = WhatsAppMessageContent()
        var notice: WhatsAppSystemNotice?
        if let type {
            content = WhatsAppMessageContentReader.read(type, from: &fields, explained: !errors.isEmpty)
            if type == .system {
                notice = WhatsAppSystemMessageReader.read(from: &fields, from: senderPhone, fromUserID: senderUserID,
                                                          fromParentUserID: senderParentUserID)
            }
        }
        guard fields.errors.isEmpty, let id, let timestamp, let type else {
            return .failure(WhatsAppElementError(fields.errors))
        }

        if case .identityChange(let change, let body, let previousPhone, let newPhone, let previousUserID,
                                let newUserID, let previousParentUserID, let newParentUserID) = notice {
            return .success(.identityChange(InboundIdentityChange(
                messageID: id, channelID: context.phoneNumberID, accountID: context.wabaID, timestamp: timestamp,
                change: change, body: body, previousPhone: previousPhone, newPhone: newPhone,
                previousUserID: previousUserID, newUserID: newUserID, previousParentUserID: previousParentUserID,
                newParentUserID: newParentUserID)))
        }
        if case .other(let body) = notice { content.text = body }

        let sender = WhatsAppContactReader.match(userID: senderUserID, phone: senderPhone, in: contacts)
        return .success(.message(InboundMessage(
            id: id, channelID: context.phoneNumberID, accountID: context.wabaID, senderPhone: senderPhone,
            senderUserID: senderUserID, senderParentUserID: senderParentUserID, profileName: sender?.profileName,
            username: sender?.username, timestamp: timestamp, type: type, text: content.text, media: content.media,
            location: content.location, interactive: content.interactive, button: content.button,
            reaction: content.reaction, order: content.order, sharedContacts: content.sharedContacts,
            edit: content.edit, revokedMessageID: content.revokedMessageID,
            contextMessageID: contextMessageID, forwarded: forwarded, referral: referral,
            errors: errors,
            raw: content.keepsRaw ? .object(object) : nil)))
    }

    /// `context.id`: the message this one replies to (or, for a product enquiry, refers to).
    /// `context`: the message this one replies to or refers to (`id`), and WhatsApp's forwarded marks
    /// (`frequently_forwarded` wins over `forwarded`).
    private static func readContext(_ fields: inout WhatsAppFields) -> (id: String?, forwarded: String?) {
        guard let object = fields.optionalObject("context") else { return (nil, nil) }
        var context = WhatsAppFields(object, prefix: fields.path("context"))
        let id = context.optionalID("id")
        let forwarded = context.optionalBool("forwarded")
        let frequently = context.optionalBool("frequently_forwarded")
        fields.merge(context)
        return (id, frequently == true ? "frequently_forwarded" : forwarded == true ? "forwarded" : nil)
    }

    /// `referral`: the click-to-WhatsApp ad or post the customer came from.
    private static func readReferral(_ fields: inout WhatsAppFields) -> InboundReferral? {
        guard let object = fields.optionalObject("referral") else { return nil }
        var referral = WhatsAppFields(object, prefix: fields.path("referral"))
        let read = InboundReferral(
            sourceType: referral.optionalString("source_type"), sourceID: referral.optionalString("source_id"),
            sourceURL: referral.optionalString("source_url"), headline: referral.optionalString("headline"),
            body: referral.optionalString("body"), mediaType: referral.optionalString("media_type"),
            clickID: referral.optionalString("ctwa_clid"))
        fields.merge(referral)
        return read
    }
}
