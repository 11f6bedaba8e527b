import CRM
import Delivery
import GatewayKit
import HTTPServer
import Retail
import Storage

/// `POST /v1/tickets/{id}/outlet {"oid", "actor"}` (bearer token): an agent links a ticket to an outlet — the way out
/// of the `unlinked` and `ambiguous` queues, or a correction. Records `contact_outlet` (method `manual`) for the
/// ticket's customer and an `outlet_linked` history row → 200 + ticket (the outlet it already has: 200, nothing
/// written). Unknown or deleted ticket → 404; an OID the POS data does not hold → 400 naming `oid`; bad bodies → 400
/// naming every field.
struct TicketOutletRoutes {
    let store: any GatewayStore
    let linker: TicketOutletLinker
    let links: RecordLinks
    let auth: AdminAuth
    let metrics: MetricsRegistry
    /// Unix milliseconds of changes (the app's injected clock).
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        router.add("POST", "/v1/tickets/{id}/outlet", auth.protect { [self] request, responder in
            guard let id = request.recordID(responder) else { return }
            let body: JSONValue
            do throws(JSONParseError) {
                body = try JSONParser.parse(request.http.body)
            } catch {
                return responder.problem(.malformedJSON(error))
            }
            switch TicketOutletRequest.read(body) {
            case .failure(let error): responder.problem(error)
            case .success(let link): apply(link, to: id, responder)
            }
        })
    }

    /// One writer operation: the link, its history and `contact_outlet` row, then the ticket as answered.
    private func apply(_ link: TicketOutletRequest, to id: Int64, _ responder: Responder) {
        let (linker, links, metrics, now) = (self.linker, self.links, self.metrics, clock())
        store.database.write({ c -> (JSONValue, Bool) in
            let changed = try linker.linkManually(ticketID: id, oid: link.oid, actor: link.actor, now: now, in: c)
            guard let ticket = try RecordTable.tickets.find(id, in: c) else {
                throw GatewayError.notFound("no ticket with id \(id)")
            }
            return (ticket.json(links), changed)
        }, completion: { result in
            switch result {
            case .success(let (ticket, changed)):
                if changed {
                    metrics.increment(TicketOutletMetrics.resolutions, [("outcome", "manual")],
                                      help: TicketOutletMetrics.resolutionsHelp)
                }
                responder.json(ticket)
            case .failure(let error as GatewayError): responder.problem(error)
            case .failure(let error): responder.problem(GatewayError.storage(error))
            }
        })
    }
}
