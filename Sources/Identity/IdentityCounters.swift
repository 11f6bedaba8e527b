import GatewayKit
/// What identity operations did, summed over a pass and turned into the `/metrics` KPIs after the commit (never
/// before: a rolled-back change must not be counted).
public struct IdentityCounters: Sendable, Equatable {
    public var customersCreated = 0
    public var bsuidsAttached = 0
    /// Resolutions that found an existing customer instead of creating one (each is a duplicate avoided).
    public var mergesAvoided = 0
    /// Customers folded into another because a new fact proved they are the same person.
    public var customersMerged = 0
    /// `contact.identity_changed` events not enqueued because no CRM events URL is configured.
    public var eventsNotConfigured = 0

    public init() {}

    public mutating func add(_ other: IdentityCounters) {
        customersCreated += other.customersCreated
        bsuidsAttached += other.bsuidsAttached
        mergesAvoided += other.mergesAvoided
        customersMerged += other.customersMerged
        eventsNotConfigured += other.eventsNotConfigured
    }

    /// Adds the counts to the identity series of `metrics` (recorded in the registry after the commit).
    public func add(to metrics: inout MetricCounts) {
        metrics.increment("gateway_identity_customers_created_total", by: Double(customersCreated),
                          help: "Customers created by identity resolution")
        metrics.increment("gateway_identity_bsuids_attached_total", by: Double(bsuidsAttached),
                          help: "BSUID identity nodes attached to customers")
        metrics.increment("gateway_identity_merges_avoided_total", by: Double(mergesAvoided),
                          help: "Resolutions that matched an existing customer instead of creating a duplicate")
        metrics.increment("gateway_identity_customers_merged_total", by: Double(customersMerged),
                          help: "Customers merged into another after a fact proved them the same person")
        metrics.increment("gateway_identity_events_not_configured_total", by: Double(eventsNotConfigured),
                          help: "Identity change events not sent because no CRM events URL (CRM_EVENTS_URL) is set")
    }
}
