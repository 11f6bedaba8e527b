/// The outbound endpoints the gateway publishes to by itself, each named once here. Endpoints an operator adds under
/// `outbound.endpoints.<name>` are named by that key instead.
public enum BuiltInEndpoint: String, CaseIterable, Sendable {
    /// Deal/ticket room refresh events.
    case omnichannel
    /// Identity changes for the CRM; without a URL they are not enqueued, only counted.
    case crm
    /// Cloud API sends (URL and token from the `whatsapp` section).
    case whatsapp
    /// The Chat Panel API; listed with the endpoints, though its history fetch is read directly and never queued.
    case chatPanel = "chat_panel"
    /// The gateway's own domain events (`ticket.sla_breached`, ...): configured like an operator's endpoint, and
    /// always present.
    case events

    /// The name outbox rows, metrics, logs and routes use.
    public var name: EndpointName { EndpointName(rawValue) }

    /// Where the endpoint's URL is set: its file key and its environment variable.
    public var urlSetting: (path: String, env: String) {
        switch self {
        case .omnichannel: ("omnichannel.events_url", "OMNICHANNEL_EVENTS_URL")
        case .crm: ("crm.events_url", "CRM_EVENTS_URL")
        case .whatsapp: ("whatsapp.api_url", "WHATSAPP_API_URL")
        case .chatPanel: ("chat_panel.url", "CHAT_PANEL_URL")
        case .events: ("outbound.endpoints.events.url", "EVENTS_URL")
        }
    }

    /// Whether the URL sits in the `whatsapp` section with that endpoint's token and a default (the Graph API) rather
    /// than among the outbound settings.
    public var urlIsInWhatsAppSection: Bool { self == .whatsapp }

    /// The built-ins whose URL is an outbound setting (``OutboundSettings/subscript(url:)``), set by its own key.
    public static let withURLSetting = allCases.filter { !$0.urlIsInWhatsAppSection }

    /// Whether the `outbound.endpoints.<name>` entry of the file may set the URL: only where that is the URL's own key.
    public var takesURLFromEndpointEntry: Bool { urlSetting.path == "outbound.endpoints.\(rawValue).url" }

    /// What a call to it is parked with while it has no URL.
    public var missingURLReason: String {
        "\(rawValue) has no URL: set \(urlSetting.env) (\(urlSetting.path))"
    }
}
