import Delivery
import Identity
import Messaging
import Retail

// The features take their own settings; these build them from the whole configuration, for the app and the CLI.

extension RenewalScheduler {
    /// The renewal run as the configuration describes it: `renewals`, the `pos.default_time_zone` days and the
    /// `whatsapp.default_language` of its templates.
    public init(config: GatewayConfig, sender: WhatsAppSender) {
        self.init(settings: config.renewals, referenceTimeZone: config.pos.defaultTimeZone,
                  defaultLanguage: config.whatsapp.defaultLanguage, sender: sender)
    }
}

extension IdentityEventRoute {
    /// `.crm` when `crm.events_url` is set.
    public init(config: GatewayConfig) {
        self.init(crmEventsURL: config.outbound[url: .crm])
    }
}
