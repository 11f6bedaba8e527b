import Delivery
import GatewayKit

extension OutboundEndpoint {
    /// Every endpoint the configuration names: the built-ins (WhatsApp's URL and token from the `whatsapp` section) and
    /// every `outbound.endpoints` entry, with per-endpoint settings falling back to the `outbound` defaults.
    public static func all(from config: GatewayConfig) -> [OutboundEndpoint] {
        let outbound = config.outbound
        let names = Set(BuiltInEndpoint.allCases.map(\.name)).union(outbound.endpoints.keys).sorted()
        return names.map { name in
            let settings = outbound.endpoints[name] ?? OutboundEndpointSettings()
            let builtIn = BuiltInEndpoint(rawValue: name.rawValue)
            let whatsApp = builtIn?.urlIsInWhatsAppSection == true
            let secret = (settings.signingSecret ?? outbound.signingSecret).flatMap(WebhookSecret.init(encoded:))
            return OutboundEndpoint(
                name: name, url: whatsApp ? config.whatsapp.apiURL : settings.url,
                missingURLReason: builtIn?.missingURLReason ?? "\(name) has no URL: set outbound.endpoints.\(name).url",
                signingSecret: secret,
                bearerToken: settings.bearerToken ?? (whatsApp ? config.whatsapp.accessToken : nil),
                connectTimeoutMilliseconds: settings.connectTimeoutMilliseconds ?? outbound.connectTimeoutMilliseconds,
                totalTimeoutMilliseconds: settings.totalTimeoutMilliseconds ?? outbound.totalTimeoutMilliseconds,
                maxConcurrency: settings.maxConcurrency ?? outbound.maxConcurrency,
                ratePerSecond: settings.ratePerSecond ?? outbound.ratePerSecond)
        }
    }
}
