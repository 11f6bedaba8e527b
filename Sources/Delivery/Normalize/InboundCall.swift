import GatewayKit
/// What the source says about a voice call between a customer and a business number (WhatsApp's `calls` field): it
/// connected, it ended (with its outcome, start, end and duration), or — for a call the business placed — how it is
/// progressing (ringing, accepted, rejected). Every report of one call carries its id; the customer is the caller of a
/// call they placed and the callee of one the business placed.
public struct InboundCall: Sendable, Equatable {
    /// The call's id (WhatsApp `wacid.…`).
    public var callID: String
    public var channelID: String
    public var accountID: String?
    public var customerPhone: String?
    public var customerUserID: String?
    /// True for a call the customer placed (WhatsApp `USER_INITIATED`).
    public var customerCalled: Bool
    /// `connect`, `terminate`, or `status` for a progress report.
    public var event: String
    /// The outcome or progress as the source names it (`COMPLETED`, `FAILED`, `RINGING`, `ACCEPTED`, `REJECTED`).
    public var status: String?
    /// Unix seconds.
    public var startedAt: Int64?
    public var endedAt: Int64?
    /// Seconds.
    public var duration: Int64?
    /// When the source reported it, unix seconds.
    public var timestamp: Int64

    public init(callID: String, channelID: String, accountID: String?, customerPhone: String? = nil,
                customerUserID: String? = nil, customerCalled: Bool, event: String, status: String? = nil,
                startedAt: Int64? = nil, endedAt: Int64? = nil, duration: Int64? = nil, timestamp: Int64) {
        (self.callID, self.channelID, self.accountID) = (callID, channelID, accountID)
        (self.customerPhone, self.customerUserID, self.customerCalled) = (customerPhone, customerUserID, customerCalled)
        (self.event, self.status, self.timestamp) = (event, status, timestamp)
        (self.startedAt, self.endedAt, self.duration) = (startedAt, endedAt, duration)
    }

    /// `{"call_id", "channel_id", "account_id"?, "wa_id"?, "user_id"?, "customer_called", "event", "status"?,
    /// "started_at"?, "ended_at"?, "duration"?, "timestamp"}`.
    func jsonFields() -> [String: JSONValue] {
        var o: [String: JSONValue] = [
            "call_id": .string(callID), "channel_id": .string(channelID), "customer_called": .bool(customerCalled),
            "event": .string(event), "timestamp": .integer(timestamp),
        ]
        o.put("account_id", accountID)
        o.put("wa_id", customerPhone)
        o.put("user_id", customerUserID)
        o.put("status", status)
        o.put("started_at", startedAt)
        o.put("ended_at", endedAt)
        o.put("duration", duration)
        return o
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(callID: try r.string("call_id"), channelID: try r.string("channel_id"),
                  accountID: try r.optionalString("account_id"), customerPhone: try r.optionalString("wa_id"),
                  customerUserID: try r.optionalString("user_id"),
                  customerCalled: try r.optionalBool("customer_called") ?? false, event: try r.string("event"),
                  status: try r.optionalString("status"), startedAt: try r.optionalInt64("started_at"),
                  endedAt: try r.optionalInt64("ended_at"), duration: try r.optionalInt64("duration"),
                  timestamp: try r.int64("timestamp"))
    }
}
