import Access
import Conversations
import Delivery
import GatewayKit

/// Leads over HTTP:
/// - `POST /v1/leads {"phone", "name"?, "business"?, "interest"?, "source"?}` (`leads.create`, unrestricted callers:
///   a phone may be anyone's) → 201 `{"ticket_id", "contact_id", "lead"}`; 400 naming each bad field (`phone`
///   missing or not a phone number);
/// - `GET /v1/tickets/{id}/lead` (`tickets.read`) → the lead (``Lead/json``); 404 when the ticket has none (or is
///   outside the caller's scope).
struct LeadRoutes {
    let intake: LeadIntake
    let scope: TicketScope
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (intake, scope, clock) = (self.intake, self.scope, self.clock)
        router.add("POST", "/v1/leads", .requires(.leadsCreate)) { request, responder in
            guard let caller = request.unrestrictedCaller(responder, "a lead's phone may be any contact's"),
                  let body = request.jsonBody(responder) else { return }
            responder.answer(LeadInput.read(body)) { input in
                intake.create(input, by: caller, now: clock()) { responder.answer($0) { responder.json($0, status: 201) } }
            }
        }
        router.add("GET", "/v1/tickets/{id}/lead", .requires(.ticketsRead)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            scope.check(id, for: caller, responder) {
                responder.answer(missing: "ticket \(id) has no lead") { try intake.lead(ofTicket: id)?.json }
            }
        }
    }
}
