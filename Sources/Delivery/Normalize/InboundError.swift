import GatewayKit
/// Why an outbound message failed (or was only partly delivered), as the source reports it.
public struct InboundStatusError: Sendable, Equatable {
    /// Source error code, e.g. WhatsApp `131047` (re-engagement window closed).
    public var code: Int64?
    public var title: String?
    public var message: String?
    /// The longer explanation (WhatsApp `error_data.details`).
    public var details: String?

    public init(code: Int64? = nil, title: String? = nil, message: String? = nil, details: String? = nil) {
        self.code = code
        self.title = title
        self.message = message
        self.details = details
    }

    /// `{"code"?, "title"?, "message"?, "details"?}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = [:]
        o.put("code", code)
        o.put("title", title)
        o.put("message", message)
        o.put("details", details)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(code: try r.optionalInt64("code"), title: try r.optionalString("title"),
                  message: try r.optionalString("message"), details: try r.optionalString("details"))
    }
}
