import GatewayKit
/// The user's answer to an interactive message: a tapped reply button or a picked list row. CSAT and menu flows key
/// on `id` (which the business chose when sending) and show `title`.
public struct InboundInteractiveReply: Sendable, Equatable {
    /// Which interactive answer this is.
    public enum Kind: Sendable, Equatable {
        case buttonReply
        case listReply
        /// Another interactive answer (e.g. a Flow's `nfm_reply`); its content stays in ``InboundMessage/raw``.
        case other(String)

        public init(rawValue: String) {
            switch rawValue {
            case "button_reply": self = .buttonReply
            case "list_reply": self = .listReply
            default: self = .other(rawValue)
            }
        }

        /// WhatsApp's `interactive.type` value.
        public var rawValue: String {
            switch self {
            case .buttonReply: return "button_reply"
            case .listReply: return "list_reply"
            case .other(let name): return name
            }
        }
    }

    public var kind: Kind
    public var id: String?
    public var title: String?
    /// List rows only.
    public var description: String?

    public init(kind: Kind, id: String? = nil, title: String? = nil, description: String? = nil) {
        self.kind = kind
        self.id = id
        self.title = title
        self.description = description
    }

    /// `{"type": "button_reply"|"list_reply"|<other>, "id"?, "title"?, "description"?}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = ["type": .string(kind.rawValue)]
        o.put("id", id)
        o.put("title", title)
        o.put("description", description)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(kind: Kind(rawValue: try r.string("type")), id: try r.optionalString("id"),
                  title: try r.optionalString("title"), description: try r.optionalString("description"))
    }
}
