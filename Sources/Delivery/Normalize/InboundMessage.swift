import GatewayKit
/// A chat message a customer sent to one of our business numbers, independent of how the source encoded it.
///
/// The sender is identified by phone (`senderPhone`), by business-scoped user id (`senderUserID`, "BSUID") or both:
/// users who adopted a WhatsApp username may arrive with a BSUID only, so consumers must not assume a phone.
/// Exactly one content field matching ``type`` is set (none for types without modelled content); ``raw`` keeps the
/// source's message object whenever the typed fields do not capture the whole content.
public struct InboundMessage: Sendable, Equatable {
    /// Source message id (WhatsApp `wamid.…`); unique per message.
    public var id: String
    /// The business channel that received it: for WhatsApp the receiving number (`metadata.phone_number_id`).
    public var channelID: String
    /// The business account the channel belongs to, where the source has one (WhatsApp: the WABA id).
    public var accountID: String?
    /// Sender phone in international digits without `+` (WhatsApp `from`); nil for BSUID-only senders.
    public var senderPhone: String?
    /// Sender business-scoped user id (WhatsApp `from_user_id`), e.g. `MY.1502576394655843`.
    public var senderUserID: String?
    /// Sender parent BSUID shared across linked business portfolios (`from_parent_user_id`), when enabled.
    public var senderParentUserID: String?
    /// Profile name from the matching `contacts[]` entry.
    public var profileName: String?
    /// WhatsApp username from the matching `contacts[]` entry, when the user adopted one.
    public var username: String?
    /// When the user sent it, unix seconds.
    public var timestamp: Int64
    public var type: InboundMessageType
    /// Body of a `text` message.
    public var text: String?
    public var media: InboundMedia?
    public var location: InboundLocation?
    public var interactive: InboundInteractiveReply?
    public var button: InboundButtonReply?
    public var reaction: InboundReaction?
    /// The cart of an `order` message.
    public var order: InboundOrder?
    /// The cards of a `contacts` message.
    public var sharedContacts: [InboundSharedContact]
    /// An `edit`: the message it changes and its new words.
    public var edit: InboundEdit?
    /// A `revoke`: the message the sender deleted.
    public var revokedMessageID: String?
    /// The message this one replies to or quotes (WhatsApp `context.id`).
    public var contextMessageID: String?
    /// `forwarded` or `frequently_forwarded` when WhatsApp marks the message as forwarded (`context`).
    public var forwarded: String?
    /// The ad or post the customer came from, on the first message after a click-to-WhatsApp ad.
    public var referral: InboundReferral?
    /// Why the content is missing or incomplete, as the source says: WhatsApp sends `errors[]` for a message type it
    /// does not support or could not deliver (an `unsupported` message, an `interactive` without its answer).
    public var errors: [InboundError]
    /// The source's message object, kept for types whose content is not (fully) modelled: unknown, unsupported,
    /// system and non-reply interactive messages.
    public var raw: JSONValue?

    public init(id: String, channelID: String, accountID: String?, senderPhone: String? = nil,
                senderUserID: String? = nil, senderParentUserID: String? = nil, profileName: String? = nil,
                username: String? = nil, timestamp: Int64, type: InboundMessageType, text: String? = nil,
                media: InboundMedia? = nil, location: InboundLocation? = nil,
                interactive: InboundInteractiveReply? = nil, button: InboundButtonReply? = nil,
                reaction: InboundReaction? = nil, order: InboundOrder? = nil,
                sharedContacts: [InboundSharedContact] = [], edit: InboundEdit? = nil, revokedMessageID: String? = nil,
                contextMessageID: String? = nil, forwarded: String? = nil,
                referral: InboundReferral? = nil, errors: [InboundError] = [], raw: JSONValue? = nil) {
        self.id = id
        self.channelID = channelID
        self.accountID = accountID
        self.senderPhone = senderPhone
        self.senderUserID = senderUserID
        self.senderParentUserID = senderParentUserID
        self.profileName = profileName
        self.username = username
        self.timestamp = timestamp
        self.type = type
        self.text = text
        self.media = media
        self.location = location
        self.interactive = interactive
        self.button = button
        self.reaction = reaction
        self.order = order
        self.sharedContacts = sharedContacts
        self.edit = edit
        self.revokedMessageID = revokedMessageID
        self.contextMessageID = contextMessageID
        self.forwarded = forwarded
        self.referral = referral
        self.errors = errors
        // Canonical so that the event still compares equal after a trip through the inbox's stored JSON text.
        self.raw = raw?.canonicalized
    }

    /// What the user "said", for flows that only need words (CSAT answers, keyword routing): the text body, the tapped
    /// button's or list row's title, the template button's text, a media caption, or the words sent with an order.
    public var displayText: String? {
        text ?? interactive?.title ?? button?.text ?? media?.caption ?? order?.text
    }

    /// The stored payload of a `message` item (see ``InboundEvent/toJSON()`` for the envelope):
    /// `{"id", "channel_id", "account_id"?, "from"?, "from_user_id"?, "from_parent_user_id"?, "profile_name"?,
    /// "username"?, "timestamp", "type", "text"?, "media"?, "location"?, "interactive"?, "button"?, "reaction"?,
    /// "order"?, "contacts"?, "edit"?, "revoked_message_id"?,
    /// "context_message_id"?, "forwarded"?, "referral"?, "errors"?, "raw"?}`. Absent optionals are omitted, never
    /// `null`.
    func jsonFields() -> [String: JSONValue] { .init(members: { members(kind: nil, $0) }) }

    /// The members of the stored payload with the event's `kind` (nil: without), keys in ``JSONWriter``'s order.
    func members(kind: String?, _ member: EventMember) {
        member("account_id", accountID.json)
        member("button", button?.toJSON())
        member("channel_id", .string(channelID))
        member("contacts", sharedContacts.isEmpty ? nil : .array(sharedContacts.map { $0.toJSON() }))
        member("context_message_id", contextMessageID.json)
        member("edit", edit?.toJSON())
        member("errors", errors.json)
        member("forwarded", forwarded.json)
        member("from", senderPhone.json)
        member("from_parent_user_id", senderParentUserID.json)
        member("from_user_id", senderUserID.json)
        member("id", .string(id))
        member("interactive", interactive?.toJSON())
        member("kind", kind.json)
        member("location", location?.toJSON())
        member("media", media?.toJSON())
        member("order", order?.toJSON())
        member("profile_name", profileName.json)
        member("raw", raw)
        member("reaction", reaction?.toJSON())
        member("referral", referral?.toJSON())
        member("revoked_message_id", revokedMessageID.json)
        member("text", text.json)
        member("timestamp", .integer(timestamp))
        member("type", .string(type.rawValue))
        member("username", username.json)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(
            id: try r.string("id"), channelID: try r.string("channel_id", formerly: "phone_number_id"),
            accountID: try r.optionalString("account_id", formerly: "waba_id"),
            senderPhone: try r.optionalString("from"), senderUserID: try r.optionalString("from_user_id"),
            senderParentUserID: try r.optionalString("from_parent_user_id"),
            profileName: try r.optionalString("profile_name"), username: try r.optionalString("username"),
            timestamp: try r.int64("timestamp"), type: InboundMessageType(rawValue: try r.string("type")),
            text: try r.optionalString("text"),
            media: try r.optionalObject("media", InboundMedia.init(reading:)),
            location: try r.optionalObject("location", InboundLocation.init(reading:)),
            interactive: try r.optionalObject("interactive", InboundInteractiveReply.init(reading:)),
            button: try r.optionalObject("button", InboundButtonReply.init(reading:)),
            reaction: try r.optionalObject("reaction", InboundReaction.init(reading:)),
            order: try r.optionalObject("order", InboundOrder.init(reading:)),
            sharedContacts: try r.objects("contacts").map { reader throws(InboundEventDecodingError) in
                try InboundSharedContact(reading: reader)
            },
            edit: try r.optionalObject("edit", InboundEdit.init(reading:)),
            revokedMessageID: try r.optionalString("revoked_message_id"),
            contextMessageID: try r.optionalString("context_message_id"), forwarded: try r.optionalString("forwarded"),
            referral: try r.optionalObject("referral", InboundReferral.init(reading:)),
            errors: try [InboundError](reading: r), raw: r.value("raw"))
    }
}
