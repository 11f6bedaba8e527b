import GatewayKit
/// A customer's own choice about a kind of message, as the source reports it: on WhatsApp the customer tapped "Stop
/// promotions" (or "Resume") in the chat with a business, and Meta sends a `user_preferences` change.
///
/// The customer is identified like a message's sender: by phone (`wa_id`), by business-scoped user id or both.
public struct InboundPreference: Sendable, Equatable {
    /// What the customer chose.
    public enum Choice: Sendable, Equatable {
        /// No more messages of ``InboundPreference/category`` (WhatsApp `stop`).
        case stop
        /// Messages of the category are welcome again (WhatsApp `resume`).
        case resume
        /// A value the source added later, kept as sent.
        case other(String)

        public init(rawValue: String) {
            switch rawValue {
            case "stop": self = .stop
            case "resume": self = .resume
            default: self = .other(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .stop: return "stop"
            case .resume: return "resume"
            case .other(let value): return value
            }
        }
    }

    /// WhatsApp's category for promotional messages, the only one Meta reports today.
    public static let marketingCategory = "marketing_messages"

    /// The business channel the choice was made in (WhatsApp `metadata.phone_number_id`).
    public var channelID: String
    /// The business account of the channel (WhatsApp: the WABA id).
    public var accountID: String?
    /// The customer's phone in international digits (`wa_id`); nil for a customer known only by BSUID.
    public var phone: String?
    /// The customer's business-scoped user id (`user_id`).
    public var userID: String?
    /// Which messages the choice is about, e.g. ``marketingCategory``.
    public var category: String
    public var choice: Choice
    /// The source's own words, e.g. "User requested to stop marketing messages".
    public var detail: String?
    /// When the customer chose, unix seconds.
    public var timestamp: Int64

    public init(channelID: String, accountID: String?, phone: String? = nil, userID: String? = nil,
                category: String, choice: Choice, detail: String? = nil, timestamp: Int64) {
        self.channelID = channelID
        self.accountID = accountID
        self.phone = phone
        self.userID = userID
        self.category = category
        self.choice = choice
        self.detail = detail
        self.timestamp = timestamp
    }

    /// `{"channel_id", "account_id"?, "wa_id"?, "user_id"?, "category", "value", "detail"?, "timestamp"}`.
    func jsonFields() -> [String: JSONValue] {
        var o: [String: JSONValue] = [
            "channel_id": .string(channelID), "category": .string(category), "value": .string(choice.rawValue),
            "timestamp": .integer(timestamp),
        ]
        o.put("account_id", accountID)
        o.put("wa_id", phone)
        o.put("user_id", userID)
        o.put("detail", detail)
        return o
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(channelID: try r.string("channel_id"), accountID: try r.optionalString("account_id"),
                  phone: try r.optionalString("wa_id"), userID: try r.optionalString("user_id"),
                  category: try r.string("category"), choice: Choice(rawValue: try r.string("value")),
                  detail: try r.optionalString("detail"), timestamp: try r.int64("timestamp"))
    }
}
