import GatewayKit
/// The `/metrics` series of ticket → outlet resolution.
public enum TicketOutletMetrics {
    /// `gateway_ticket_outlet_resolutions_total{outcome}`: `linked` (phone or earlier link), `ambiguous` (customer
    /// asked), `unlinked` (a ticket's first resolution found nothing), `chosen` (customer picked), `manual` (agent).
    public static let resolutions = "gateway_ticket_outlet_resolutions_total"
    public static let resolutionsHelp = "Ticket outlet resolutions, by outcome"
    /// `gateway_ticket_outlet_choices_rejected_total{reason}`: list replies that link nothing (stale or invalid).
    public static let rejectedChoices = "gateway_ticket_outlet_choices_rejected_total"
    static let rejectedChoicesHelp = "Outlet list replies that linked nothing, by reason"
    /// `gateway_ticket_outlet_list_errors_total`: ambiguous tickets whose list could not be queued.
    public static let listErrors = "gateway_ticket_outlet_list_errors_total"
    static let listErrorsHelp = "Outlet choice lists the WhatsApp kit refused to queue"

    /// Adds one resolution with `outcome` to an item's counters.
    static func count(_ outcome: String, in counts: inout MetricCounts) {
        counts.increment(resolutions, [("outcome", outcome)], help: resolutionsHelp)
    }
}
