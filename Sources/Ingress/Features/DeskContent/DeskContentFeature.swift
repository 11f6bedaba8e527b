import Access
import Configuration
import Conversations
import Delivery
import Messaging

/// What agents reuse while working tickets: canned replies (sent on a ticket with their variables filled, as text or
/// as their template depending on the 24-hour window) and the internal knowledge base.
struct DeskContentFeature: Feature {
    private let context: FeatureContext
    private let catalog: WhatsAppTemplateCatalog
    private let desk: TicketDesk

    /// - Parameters:
    ///   - catalog: the approved templates canned replies may name.
    ///   - desk: sends canned replies as agents' replies.
    init(_ context: FeatureContext, catalog: WhatsAppTemplateCatalog, desk: TicketDesk) {
        self.context = context
        self.catalog = catalog
        self.desk = desk
    }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        let database = context.store.database
        let replies = CannedReplies(database: database, catalog: catalog)
        CannedReplyRoutes(replies: replies, desk: desk, scope: routes.tickets, clock: context.clock,
                          claimMilliseconds: Int64(context.config.tickets.claimMilliseconds)).register(in: &router)
        KnowledgeBaseRoutes(knowledgeBase: KnowledgeBase(database: database), clock: context.clock).register(in: &router)
    }
}
