/// The kind of content an inbound chat message carries. Types the gateway does not model yet arrive as
/// ``unknown(_:)`` with the sender's own type name, so a new message type never becomes a poison item.
public enum InboundMessageType: Sendable, Equatable, Hashable {
    case text
    case image
    case audio
    case video
    case document
    case sticker
    case location
    case contacts
    case interactive
    case button
    case reaction
    case order
    case system
    /// A change to a message sent earlier: its new words (``InboundMessage/edit``).
    case edit
    /// The sender deleted a message sent earlier (``InboundMessage/revokedMessageID``).
    case revoke
    /// The sender itself could not read the message (WhatsApp's own `unsupported` type).
    case unsupported
    case unknown(String)

    /// Every modelled type, in a stable order (``unknown(_:)`` excluded).
    public static let known: [InboundMessageType] = [
        .text, .image, .audio, .video, .document, .sticker, .location, .contacts, .interactive, .button, .reaction,
        .order, .system, .edit, .revoke, .unsupported,
    ]

    public init(rawValue: String) {
        self = InboundMessageType.known.first { $0.rawValue == rawValue } ?? .unknown(rawValue)
    }

    /// The wire name, identical to WhatsApp's `type` value.
    public var rawValue: String {
        switch self {
        case .text: return "text"
        case .image: return "image"
        case .audio: return "audio"
        case .video: return "video"
        case .document: return "document"
        case .sticker: return "sticker"
        case .location: return "location"
        case .contacts: return "contacts"
        case .interactive: return "interactive"
        case .button: return "button"
        case .reaction: return "reaction"
        case .order: return "order"
        case .edit: return "edit"
        case .revoke: return "revoke"
        case .system: return "system"
        case .unsupported: return "unsupported"
        case .unknown(let name): return name
        }
    }

    /// Types whose content is a downloadable media object (``InboundMedia``).
    public var isMedia: Bool {
        switch self {
        case .image, .audio, .video, .document, .sticker: return true
        default: return false
        }
    }
}
