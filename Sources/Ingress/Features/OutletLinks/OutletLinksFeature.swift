import CRM
import Configuration
import Conversations
import Delivery
import GatewayKit
import Messaging
import Retail

/// Linking tickets to the customer's outlet: a list reply picking an outlet is taken before the ticket step
/// (``OutletChoiceStep``), the ticket's outlet is resolved after it (``TicketOutletStep``), and agents link by hand.
struct OutletLinksFeature: Feature {
    let linker: TicketOutletLinker
    private let links: RecordLinks
    private let context: FeatureContext

    init(_ context: FeatureContext, sender: WhatsAppSender, texts: WhatsAppTextCatalog, links: RecordLinks) {
        self.context = context
        self.links = links
        linker = TicketOutletLinker(resolver: ContactOutletResolver(phoneFormat: context.config.pos.phoneFormat),
                                    sender: sender, texts: texts)
    }

    var inboundSteps: [any InboundItemStep] {
        [OutletChoiceStep(linker: linker, log: context.log), TicketOutletStep(linker: linker)]
    }

    /// `POST /v1/tickets/{id}/outlet`.
    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        let service = TicketOutletService(database: context.store.database, linker: linker, metrics: context.metrics)
        TicketOutletRoutes(service: service, links: links, scope: routes.tickets, clock: context.clock,
                           claimMilliseconds: Int64(context.config.tickets.claimMilliseconds))
            .register(in: &router)
    }
}
