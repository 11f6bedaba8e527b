import Configuration
import Delivery
import Identity
import Retail

/// Who a customer is: the inbound identity step (every item's sender resolved to one customer, BSUIDs and phones
/// bound, identity changes applied, `contact.identity_changed` events to the CRM) and the contact API.
struct IdentityFeature: Feature {
    let mode: IdentityMode
    let events: IdentityEventRoute
    let context: FeatureContext

    init(_ context: FeatureContext) {
        self.context = context
        mode = IdentityMode(enabled: context.config.multiBSUIDEnabled)
        events = IdentityEventRoute(config: context.config)
    }

    /// The contact API's writes; other features name people through it too (leads).
    var editor: ContactEditor { ContactEditor(mode: mode, events: events, clock: context.clock) }

    var inboundSteps: [any InboundItemStep] { [IdentityStep(mode: mode, events: events)] }

    /// `/v1/contacts`.
    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        let contacts = ContactService(database: context.store.database,
                                      editor: editor,
                                      metrics: context.metrics)
        let visibility = ContactVisibility(database: context.store.database)
        ContactRoutes(contacts: contacts, visibility: visibility, clock: context.clock).register(in: &router)
        ContactFieldRoutes(fields: ContactFieldService(database: context.store.database), contacts: contacts,
                           visibility: visibility, clock: context.clock).register(in: &router)
    }
}
