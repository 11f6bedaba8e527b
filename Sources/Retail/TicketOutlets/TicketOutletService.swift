import CRM
import Conversations
import Delivery
import GatewayKit
import Storage

/// An agent links a ticket to an outlet: the link, its history and `contact_outlet` row in one unit of work, then the
/// ticket as it now is. A change (not a repeat of the outlet it had) counts as a manual resolution once committed.
public struct TicketOutletService: Sendable {
    private let database: any Database
    private let linker: TicketOutletLinker
    private let metrics: MetricsRegistry

    public init(database: any Database, linker: TicketOutletLinker, metrics: MetricsRegistry) {
        self.database = database
        self.linker = linker
        self.metrics = metrics
    }

    /// - Parameter ticketGuard: collision control (``TicketGuard``): `If-Match` and the ticket's claim.
    public func link(ticketID: Int64, oid: String, guardedBy ticketGuard: TicketGuard, now: Int64,
                     addendum: Addendum<StoredRecord>? = nil, answer: @escaping Answer<StoredRecord>) {
        database.write({ [linker] c -> (StoredRecord, Bool) in
            let version = try ticketGuard.check(ticketID, now: now, in: c)
            let changed = try linker.linkManually(ticketID: ticketID, oid: oid, actor: ticketGuard.actor, now: now,
                                                  in: c)
            if changed { try ticketGuard.changed(ticketID, from: version, now: now, in: c) }
            guard let ticket = try RecordTable.tickets.find(ticketID, in: c) else {
                throw GatewayError.notFound("no ticket with id \(ticketID)")
            }
            try addendum?(ticket, c)
            return (ticket, changed)
        }, answer: { [metrics] result in
            if case .success((_, true)) = result {
                metrics.increment(TicketOutletMetrics.resolutions, [("outcome", "manual")],
                                  help: TicketOutletMetrics.resolutionsHelp)
            }
            answer(result.map(\.0))
        })
    }
}
