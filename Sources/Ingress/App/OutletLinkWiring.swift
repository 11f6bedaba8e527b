import CRM
import Configuration
import Delivery
import GatewayKit
import Messaging
import Retail

/// Ticket → outlet resolution assembled from configuration: the two inbound steps around the ticket step
/// (``OutletChoiceStep`` before it takes list replies, ``TicketOutletStep`` after it resolves the ticket) and the
/// agents' manual link route.
struct OutletLinkWiring {
    let linker: TicketOutletLinker
    let choiceStep: OutletChoiceStep
    let resolutionStep: TicketOutletStep

    init(config: GatewayConfig, sender: WhatsAppSender, texts: WhatsAppTextCatalog, log: EventLog) {
        linker = TicketOutletLinker(resolver: ContactOutletResolver(phoneFormat: config.pos.phoneFormat),
                                    sender: sender, texts: texts)
        choiceStep = OutletChoiceStep(linker: linker, log: log)
        resolutionStep = TicketOutletStep(linker: linker)
    }

    /// `POST /v1/tickets/{id}/outlet`.
    func registerRoutes(in router: inout Router, store: SQLiteGatewayStore, links: RecordLinks, auth: AdminAuth,
                        metrics: MetricsRegistry, clock: @escaping @Sendable () -> Int64) {
        TicketOutletRoutes(store: store, linker: linker, links: links, auth: auth, metrics: metrics, clock: clock)
            .register(in: &router)
    }
}
