/// The outbound endpoints the gateway publishes to by itself, each named once here. Endpoints an operator adds under
/// `outbound.endpoints.<name>` are named by that key instead.
public enum BuiltInEndpoint: String, CaseIterable, Sendable {
    /// Deal/ticket room refresh events (URL from `omnichannel.events_url`).
    case omnichannel
    /// Identity changes for the CRM (URL from `crm.events_url`).
    case crm
    /// Cloud API sends (URL and token from the `whatsapp` section).
    case whatsapp
    /// The Chat Panel API (URL from `chat_panel.url`); listed with the endpoints, though its history fetch is read
    /// directly and never queued.
    case chatPanel = "chat_panel"
    /// The gateway's own domain events (`ticket.sla_breached`, ...): configured like an operator's endpoint
    /// (`outbound.endpoints.events.url` or `EVENTS_URL`), and always present.
    case events

    /// The name outbox rows, metrics, logs and routes use.
    public var name: EndpointName { EndpointName(rawValue) }

    /// The endpoints whose URL (and, for WhatsApp, bearer token) come from their own config sections.
    public static let configuredBySection = allCases.filter { $0 != .events }
}
