import GatewayKit
/// What the source says about one of the business's message templates: Meta approved, paused, rejected or disabled
/// it (`status`, with its `reason`), rated its quality (`quality`: `GREEN`, `YELLOW`, `RED`) or moved it to another
/// `category`. One update carries one of the three.
public struct InboundTemplateUpdate: Sendable, Equatable {
    /// The business account the template belongs to (WhatsApp: the WABA id).
    public var accountID: String
    /// The source's id of the template in that language.
    public var templateID: String
    public var name: String
    /// The language code the template is registered under (`en`, `ms`, `en_US`).
    public var language: String
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`, `FLAGGED`, `REINSTATED`, …
    public var status: String?
    /// Why, with a status (`NONE`, `INCORRECT_CATEGORY`, …).
    public var reason: String?
    public var quality: String?
    public var category: String?
    /// When the source reported it (WhatsApp `entry[].time`), unix seconds; nil when the delivery does not say.
    public var timestamp: Int64?

    public init(accountID: String, templateID: String, name: String, language: String, status: String? = nil,
                reason: String? = nil, quality: String? = nil, category: String? = nil, timestamp: Int64? = nil) {
        self.accountID = accountID
        self.templateID = templateID
        self.name = name
        self.language = language
        self.status = status
        self.reason = reason
        self.quality = quality
        self.category = category
        self.timestamp = timestamp
    }

    /// `{"account_id", "template_id", "name", "language", "status"?, "reason"?, "quality"?, "category"?,
    /// "timestamp"?}`.
    func jsonFields() -> [String: JSONValue] {
        var o: [String: JSONValue] = [
            "account_id": .string(accountID), "template_id": .string(templateID), "name": .string(name),
            "language": .string(language),
        ]
        o.put("status", status)
        o.put("reason", reason)
        o.put("quality", quality)
        o.put("category", category)
        o.put("timestamp", timestamp)
        return o
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(accountID: try r.string("account_id"), templateID: try r.string("template_id"),
                  name: try r.string("name"), language: try r.string("language"),
                  status: try r.optionalString("status"), reason: try r.optionalString("reason"),
                  quality: try r.optionalString("quality"), category: try r.optionalString("category"),
                  timestamp: try r.optionalInt64("timestamp"))
    }
}
