/// What a WhatsApp message says.
public enum WhatsAppContent: Sendable, Equatable {
    /// Free-form text (only inside the 24-hour customer-service window, see ``CustomerServiceWindow``).
    case text(String)
    /// An approved template from the ``WhatsAppTemplateCatalog``; `language` nil = the configured default;
    /// `parameters` fill `{{1}}`, `{{2}}`, ... in order.
    case template(name: String, language: String?, parameters: [String])
    /// An interactive list (only inside the 24-hour window).
    case interactiveList(WhatsAppListMessage)
    /// An image, document, audio, video or sticker by link (only inside the 24-hour window).
    case media(WhatsAppOutboundMedia)

    /// Longest free-form text the Cloud API takes.
    public static let textLimit = 4096

    /// `text`, `template`, `interactive_list` or `media` (the `content_kind` column).
    public var kind: String {
        switch self {
        case .text: return "text"
        case .template: return "template"
        case .interactiveList: return "interactive_list"
        case .media: return "media"
        }
    }
}
