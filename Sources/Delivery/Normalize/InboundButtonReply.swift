import GatewayKit
/// A tap on a quick-reply button of a template message (WhatsApp type `button`). `payload` is what the business put
/// on the button when it sent the template; `text` is the label the user saw.
public struct InboundButtonReply: Sendable, Equatable {
    public var payload: String?
    public var text: String?

    public init(payload: String? = nil, text: String? = nil) {
        self.payload = payload
        self.text = text
    }

    /// `{"payload"?, "text"?}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = [:]
        o.put("payload", payload)
        o.put("text", text)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(payload: try r.optionalString("payload"), text: try r.optionalString("text"))
    }
}
