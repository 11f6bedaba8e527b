import Delivery
import GatewayKit

extension OutboundEndpoint {
    /// Every endpoint the configuration names: the built-ins configured by their own sections and every
    /// `outbound.endpoints` entry (`events` is one by default), with per-endpoint settings falling back to the
    /// `outbound` defaults.
    public static func all(from config: GatewayConfig) -> [OutboundEndpoint] {
        let outbound = config.outbound
        let builtIn = Dictionary(uniqueKeysWithValues: BuiltInEndpoint.allCases.compactMap { endpoint in
            sectionSettings(endpoint, config).map { (endpoint.name, $0) }
        })
        let names = Set(builtIn.keys).union(outbound.endpoints.keys).sorted()
        return names.map { name in
            let settings = outbound.endpoints[name] ?? OutboundEndpointSettings()
            let fixed = builtIn[name]
            let secret = (settings.signingSecret ?? outbound.signingSecret).flatMap(WebhookSecret.init(encoded:))
            return OutboundEndpoint(
                name: name, url: fixed.map { $0.url } ?? settings.url,
                missingURLReason: fixed?.reason ?? "\(name) has no URL: set outbound.endpoints.\(name).url"
                    + (name == BuiltInEndpoint.events.name ? " (or EVENTS_URL)" : ""),
                signingSecret: secret, bearerToken: settings.bearerToken ?? fixed?.bearer,
                connectTimeoutMilliseconds: settings.connectTimeoutMilliseconds ?? outbound.connectTimeoutMilliseconds,
                totalTimeoutMilliseconds: settings.totalTimeoutMilliseconds ?? outbound.totalTimeoutMilliseconds,
                maxConcurrency: settings.maxConcurrency ?? outbound.maxConcurrency,
                ratePerSecond: settings.ratePerSecond ?? outbound.ratePerSecond)
        }
    }

    /// URL, bearer token and the reason shown without a URL, of a built-in configured by its own section; nil for one
    /// configured under `outbound.endpoints` like an operator's.
    private static func sectionSettings(_ endpoint: BuiltInEndpoint,
                                        _ config: GatewayConfig) -> (url: String?, bearer: String?, reason: String)? {
        switch endpoint {
        case .omnichannel:
            return (config.omnichannelEventsURL, nil,
                    "omnichannel has no URL: set OMNICHANNEL_EVENTS_URL (omnichannel.events_url)")
        case .crm:
            return (config.crmEventsURL, nil, "crm has no URL: set CRM_EVENTS_URL (crm.events_url)")
        case .whatsapp:
            return (config.whatsapp.apiURL, config.whatsapp.accessToken,
                    "whatsapp has no URL: set WHATSAPP_API_URL (whatsapp.api_url)")
        case .chatPanel:
            return (config.chatPanelURL, nil, "chat_panel has no URL: set CHAT_PANEL_URL (chat_panel.url)")
        case .events:
            return nil
        }
    }
}
