import Access
import Configuration
import CRM
import Delivery
import GatewayKit

/// One part of the product as the app composes it: what it adds to the inbound path, the background work, the
/// outbound endpoints and the HTTP surface. ``GatewayApp`` is the list of features: it asks each for these and wires
/// them in one place, so a new feature is its folder under `Features/` plus one line in that list. Every member has
/// an empty default; a feature states only what it has.
package protocol Feature {
    /// Normalizers of the inbound sources whose deliveries this feature accepts (they run later, off the request
    /// path, in the inbox normalizer).
    var normalizers: [any DeliveryNormalizer] { get }
    /// Steps applied to every normalized inbox item, each in its ``InboundPhase``; within a phase, features run in
    /// list order.
    var inboundSteps: [any InboundItemStep] { get }
    /// How the answers of this feature's outbound endpoints are read, by endpoint name.
    var classifiers: [EndpointName: any DeliveryResponseClassifier] { get }
    /// What is recorded from each outcome of this feature's outbound endpoints, by endpoint name.
    var observers: [EndpointName: any OutboundDeliveryObserver] { get }
    /// Background workers: started after the dispatcher, stopped before it (so it drains what they enqueued).
    var services: [any Service] { get }
    /// The personal data this feature's module keeps, for subject-access exports and erasures (the identity
    /// module's part is added last by the app).
    var personalData: [any PersonalDataHolder] { get }
    /// Adds the feature's routes, each with the permission it needs.
    func registerRoutes(in router: inout Router, _ context: RouteContext)
}

extension Feature {
    package var normalizers: [any DeliveryNormalizer] { [] }
    package var inboundSteps: [any InboundItemStep] { [] }
    package var classifiers: [EndpointName: any DeliveryResponseClassifier] { [:] }
    package var observers: [EndpointName: any OutboundDeliveryObserver] { [:] }
    package var services: [any Service] { [] }
    package var personalData: [any PersonalDataHolder] { [] }
    package func registerRoutes(in router: inout Router, _ context: RouteContext) {}
}

/// What every feature is built with.
package struct FeatureContext {
    package let config: GatewayConfig
    package let store: any GatewayStore
    package let metrics: MetricsRegistry
    package let log: EventLog
    /// Unix milliseconds: the app's one clock — records, webhook deliveries and their signature tolerance, outbound
    /// retries and leases, schedules and workers (tests move it).
    package let clock: @Sendable () -> Int64
    /// What every new ticket writes besides its row, in its transaction (``GatewayApp``'s list): handed to everything
    /// that inserts tickets.
    package let ticketObservers: [any TicketOpeningObserver]
}

/// What routes are registered with, beyond what the feature was built with.
package struct RouteContext {
    /// Commits verified webhook deliveries to the inbox before answering.
    package let ingest: InboxIngest
    /// Hides tickets outside a caller's outlet scope (404).
    let tickets: TicketScope
}
