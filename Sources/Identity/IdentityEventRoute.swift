/// Whether `contact.identity_changed` events have somewhere to go. Identity changes are told to the CRM through the
/// `crm` outbound endpoint; without `crm.events_url` (`CRM_EVENTS_URL`) nobody would receive them, so they are not
/// enqueued at all (no outbox row, no dead letter) and only counted in `gateway_identity_events_not_configured_total`.
public enum IdentityEventRoute: Sendable, Equatable {
    /// Enqueued to the `crm` endpoint in the transaction that made the change.
    case crm
    /// No CRM events URL is configured: nothing is enqueued; each event is counted instead.
    case notConfigured

    /// `.crm` when there is a CRM events URL.
    public init(crmEventsURL: String?) {
        self = crmEventsURL == nil ? .notConfigured : .crm
    }
}
