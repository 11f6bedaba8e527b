import GatewayKit
/// A delivery report for a message the business sent: sent, delivered, read or failed. The recipient is named by phone,
/// by BSUID or both (messages sent to a BSUID may report no phone).
public struct InboundStatus: Sendable, Equatable {
    /// Where the outbound message got to.
    public enum State: Sendable, Equatable, Hashable {
        case sent
        case delivered
        case read
        case failed
        /// A state not modelled here (e.g. `deleted`, `warning`), kept by name.
        case other(String)

        public init(rawValue: String) {
            switch rawValue {
            case "sent": self = .sent
            case "delivered": self = .delivered
            case "read": self = .read
            case "failed": self = .failed
            default: self = .other(rawValue)
            }
        }

        /// WhatsApp's `status` value.
        public var rawValue: String {
            switch self {
            case .sent: return "sent"
            case .delivered: return "delivered"
            case .read: return "read"
            case .failed: return "failed"
            case .other(let name): return name
            }
        }
    }

    /// The outbound message's id (`wamid.…`) this report is about.
    public var messageID: String
    /// The business channel that received it: for WhatsApp the receiving number (`metadata.phone_number_id`).

    public var channelID: String
    /// The business account the channel belongs to, where the source has one (WhatsApp: the WABA id).

    public var accountID: String?
    public var state: State
    /// When the state was reached, unix seconds.
    public var timestamp: Int64
    /// Recipient phone (WhatsApp `recipient_id`); nil when the message was sent to a BSUID and no phone is shared.
    public var recipientPhone: String?
    /// Recipient BSUID (WhatsApp `recipient_user_id`).
    public var recipientUserID: String?
    public var recipientParentUserID: String?
    public var conversationID: String?
    /// Who opened the conversation window / how it is billed, e.g. `service`, `marketing`.
    public var conversationOrigin: String?
    /// When the conversation window closes, unix seconds (WhatsApp `conversation.expiration_timestamp`).
    public var conversationExpiresAt: Int64?
    public var pricingCategory: String?
    /// How the message is priced (WhatsApp `pricing.pricing_model`, e.g. `CBP`, `PMP`).
    public var pricingModel: String?
    /// Whether the message is charged (WhatsApp `pricing.billable`).
    public var billable: Bool?
    public var errors: [InboundError]

    public init(messageID: String, channelID: String, accountID: String?, state: State, timestamp: Int64,
                recipientPhone: String? = nil, recipientUserID: String? = nil, recipientParentUserID: String? = nil,
                conversationID: String? = nil, conversationOrigin: String? = nil, conversationExpiresAt: Int64? = nil,
                pricingCategory: String? = nil, pricingModel: String? = nil, billable: Bool? = nil,
                errors: [InboundError] = []) {
        self.messageID = messageID
        self.channelID = channelID
        self.accountID = accountID
        self.state = state
        self.timestamp = timestamp
        self.recipientPhone = recipientPhone
        self.recipientUserID = recipientUserID
        self.recipientParentUserID = recipientParentUserID
        self.conversationID = conversationID
        self.conversationOrigin = conversationOrigin
        self.conversationExpiresAt = conversationExpiresAt
        self.pricingCategory = pricingCategory
        self.pricingModel = pricingModel
        self.billable = billable
        self.errors = errors
    }

    /// The stored payload of a `status` item: `{"id", "channel_id", "account_id"?, "status", "timestamp",
    /// "recipient_id"?, "recipient_user_id"?, "recipient_parent_user_id"?, "conversation_id"?, "conversation_origin"?,
    /// "conversation_expires_at"?, "pricing_category"?, "pricing_model"?, "billable"?, "errors"?: [{"code"?,
    /// "title"?, "message"?, "details"?}]}`.
    func jsonFields() -> [String: JSONValue] { .init(members: { members(kind: nil, $0) }) }

    /// The members of the stored payload with the event's `kind` (nil: without), keys in ``JSONWriter``'s order.
    func members(kind: String?, _ member: EventMember) {
        member("account_id", accountID.json)
        member("billable", billable.map(JSONValue.bool))
        member("channel_id", .string(channelID))
        member("conversation_expires_at", conversationExpiresAt.map(JSONValue.integer))
        member("conversation_id", conversationID.json)
        member("conversation_origin", conversationOrigin.json)
        member("errors", errors.json)
        member("id", .string(messageID))
        member("kind", kind.json)
        member("pricing_category", pricingCategory.json)
        member("pricing_model", pricingModel.json)
        member("recipient_id", recipientPhone.json)
        member("recipient_parent_user_id", recipientParentUserID.json)
        member("recipient_user_id", recipientUserID.json)
        member("status", .string(state.rawValue))
        member("timestamp", .integer(timestamp))
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(
            messageID: try r.string("id"), channelID: try r.string("channel_id", formerly: "phone_number_id"),
            accountID: try r.optionalString("account_id", formerly: "waba_id"),
            state: State(rawValue: try r.string("status")),
            timestamp: try r.int64("timestamp"), recipientPhone: try r.optionalString("recipient_id"),
            recipientUserID: try r.optionalString("recipient_user_id"),
            recipientParentUserID: try r.optionalString("recipient_parent_user_id"),
            conversationID: try r.optionalString("conversation_id"),
            conversationOrigin: try r.optionalString("conversation_origin"),
            conversationExpiresAt: try r.optionalInt64("conversation_expires_at"),
            pricingCategory: try r.optionalString("pricing_category"), pricingModel: try r.optionalString("pricing_model"),
            billable: try r.optionalBool("billable"), errors: try [InboundError](reading: r))
    }
}
