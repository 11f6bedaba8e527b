import GatewayKit
/// What the source says about the business account or one of its numbers: WhatsApp's `account_update` (restricted,
/// in violation, disabled, offboarded, verified, …) and `phone_number_quality_update` (a number's quality flag and
/// messaging limit tier). ``detail`` keeps the source's whole report, so nothing it says is lost.
public struct InboundAccountUpdate: Sendable, Equatable {
    /// The business account (WhatsApp: the WABA id).
    public var accountID: String
    /// What kind of report: the source's own name for it (`account_update`, `phone_number_quality_update`).
    public var topic: String
    /// The source's event name, e.g. `ACCOUNT_RESTRICTION`, `DISABLED_UPDATE`, `FLAGGED`, `UPGRADE`.
    public var event: String
    /// The number the report is about, when it names one (`display_phone_number` / `phone_number`).
    public var phoneNumber: String?
    /// When the source sent it (WhatsApp `entry[].time`), unix seconds; nil when the delivery does not say.
    public var timestamp: Int64?
    /// The report as sent (restriction types and expiry, violation type, current limit, …).
    public var detail: JSONValue

    public init(accountID: String, topic: String, event: String, phoneNumber: String? = nil, timestamp: Int64? = nil,
                detail: JSONValue) {
        self.accountID = accountID
        self.topic = topic
        self.event = event
        self.phoneNumber = phoneNumber
        self.timestamp = timestamp
        // Canonical so that the event still compares equal after a trip through the inbox's stored JSON text.
        self.detail = detail.canonicalized
    }

    /// `{"account_id", "topic", "event", "phone_number"?, "timestamp"?, "detail"}`.
    func jsonFields() -> [String: JSONValue] {
        var o: [String: JSONValue] = ["account_id": .string(accountID), "topic": .string(topic),
                                      "event": .string(event), "detail": detail]
        o.put("phone_number", phoneNumber)
        o.put("timestamp", timestamp)
        return o
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(accountID: try r.string("account_id"), topic: try r.string("topic"), event: try r.string("event"),
                  phoneNumber: try r.optionalString("phone_number"), timestamp: try r.optionalInt64("timestamp"),
                  detail: r.value("detail") ?? .object([:]))
    }
}
