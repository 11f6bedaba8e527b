import Access
import CRM
import Conversations
import Delivery
import GatewayKit
import HTTPServer
import Retail

/// `POST /v1/tickets/{id}/outlet {"oid"}` (`tickets.write`; the actor is the caller): an agent links a ticket to an outlet — the way out
/// of the `unlinked` and `ambiguous` queues, or a correction. Records `contact_outlet` (method `manual`) for the
/// ticket's customer and an `outlet_linked` history row → 200 + ticket (the outlet it already has: 200, nothing
/// written). Unknown or deleted ticket → 404; an OID the POS data does not hold → 400 naming `oid`; bad bodies → 400
/// naming every field. Collision control as on every ticket change: 412 with a stale `If-Match`, 409 while someone
/// else holds the ticket's claim.
struct TicketOutletRoutes {
    let service: TicketOutletService
    let links: RecordLinks
    /// Tickets outside the caller's scope answer 404; a link to an outlet outside it is refused.
    let scope: TicketScope
    /// Unix milliseconds of changes (the app's injected clock).
    let clock: @Sendable () -> Int64
    /// `tickets.claim_duration` (collision control, as on every ticket change).
    let claimMilliseconds: Int64

    func register(in router: inout Router) {
        router.add("POST", "/v1/tickets/{id}/outlet", .requires(.ticketsWrite)) { [self] request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder),
                  let ticketGuard = request.ticketGuard(for: caller, claimMilliseconds: claimMilliseconds, responder)
            else { return }
            let body: JSONValue
            do throws(JSONParseError) {
                body = try JSONParser.parse(request.http.body)
            } catch {
                return responder.problem(.malformedJSON(error))
            }
            switch TicketOutletRequest.read(body, actor: caller.actor) {
            case .failure(let error): responder.problem(error)
            case .success(let link):
                scope.check(id, for: caller, responder) { apply(link, to: id, guardedBy: ticketGuard, by: caller, responder) }
            }
        }
    }

    /// The ticket as it now is.
    private func apply(_ link: TicketOutletRequest, to id: Int64, guardedBy ticketGuard: TicketGuard, by caller: Caller,
                       _ responder: Responder) {
        let (links, now) = (self.links, clock())
        let audit: Addendum<StoredRecord> = caller.audited("ticket.outlet_linked", "ticket", at: now,
                                                           subject: { _ in String(id) },
                                                           detail: { _ in ["oid": .string(link.oid)] })
        // The linked ticket must stay inside the caller's scope: no moving a ticket to an outlet one cannot see.
        let scope = caller.principal.scope
        let checked: Addendum<StoredRecord> = { ticket, c in
            guard scope.covers(fid: ticket.workflow["fid"]?.stringValue, oid: ticket.workflow["oid"]?.stringValue) else {
                throw GatewayError.validation([FieldError(field: "oid", message: "must be an outlet inside your scope")])
            }
            try audit(ticket, c)
        }
        service.link(ticketID: id, oid: link.oid, guardedBy: ticketGuard, now: now, addendum: checked) { result in
            responder.answer(result) { responder.json($0.json(links), headers: [$0.etag]) }
        }
    }
}
