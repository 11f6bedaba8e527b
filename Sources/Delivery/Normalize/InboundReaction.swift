import GatewayKit
/// An emoji reaction to an earlier message. A reaction without `emoji` means the user removed their reaction.
public struct InboundReaction: Sendable, Equatable {
    /// The message reacted to.
    public var messageID: String
    public var emoji: String?

    public init(messageID: String, emoji: String? = nil) {
        self.messageID = messageID
        self.emoji = emoji
    }

    /// `{"message_id", "emoji"?}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = ["message_id": .string(messageID)]
        o.put("emoji", emoji)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(messageID: try r.string("message_id"), emoji: try r.optionalString("emoji"))
    }
}
