import GatewayKit
/// The user's answer to an interactive message: a tapped reply button, a picked list row, or the answer to a request
/// to call them. CSAT and menu flows key
/// on `id` (which the business chose when sending) and show `title`.
public struct InboundInteractiveReply: Sendable, Equatable {
    /// Which interactive answer this is.
    public enum Kind: Sendable, Equatable {
        case buttonReply
        case listReply
        /// The customer's answer to the business asking to call them (``InboundInteractiveReply/response``:
        /// `accept` or `reject`, until ``InboundInteractiveReply/expiresAt``).
        case callPermissionReply
        /// Another interactive answer (e.g. a Flow's `nfm_reply`); its content stays in ``InboundMessage/raw``.
        case other(String)

        public init(rawValue: String) {
            switch rawValue {
            case "button_reply": self = .buttonReply
            case "list_reply": self = .listReply
            case "call_permission_reply": self = .callPermissionReply
            default: self = .other(rawValue)
            }
        }

        /// WhatsApp's `interactive.type` value.
        public var rawValue: String {
            switch self {
            case .buttonReply: return "button_reply"
            case .listReply: return "list_reply"
            case .callPermissionReply: return "call_permission_reply"
            case .other(let name): return name
            }
        }
    }

    public var kind: Kind
    public var id: String?
    public var title: String?
    /// List rows only.
    public var description: String?
    /// A call permission reply's answer: `accept` or `reject`.
    public var response: String?
    /// Until when an accepted call permission holds, unix seconds.
    public var expiresAt: Int64?

    public init(kind: Kind, id: String? = nil, title: String? = nil, description: String? = nil,
                response: String? = nil, expiresAt: Int64? = nil) {
        self.kind = kind
        self.id = id
        self.title = title
        self.description = description
        self.response = response
        self.expiresAt = expiresAt
    }

    /// `{"type": "button_reply"|"list_reply"|"call_permission_reply"|<other>, "id"?, "title"?, "description"?,
    /// "response"?, "expires_at"?}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = ["type": .string(kind.rawValue)]
        o.put("id", id)
        o.put("title", title)
        o.put("description", description)
        o.put("response", response)
        o.put("expires_at", expiresAt)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        self.init(kind: Kind(rawValue: try r.string("type")), id: try r.optionalString("id"),
                  title: try r.optionalString("title"), description: try r.optionalString("description"),
                  response: try r.optionalString("response"), expiresAt: try r.optionalInt64("expires_at"))
    }
}
