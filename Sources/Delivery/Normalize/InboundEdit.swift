import GatewayKit
/// A sender changed a message they sent earlier (WhatsApp type `edit`, within 15 minutes of sending): which one, and
/// what it says now (the new text, or a media message's new caption).
public struct InboundEdit: Sendable, Equatable {
    public var originalMessageID: String
    public var text: String?

    public init(originalMessageID: String, text: String? = nil) {
        (self.originalMessageID, self.text) = (originalMessageID, text)
    }

    /// `{"original_message_id", "text"?}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = ["original_message_id": .string(originalMessageID)]
        o.put("text", text)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(originalMessageID: try r.string("original_message_id"), text: try r.optionalString("text"))
    }
}
