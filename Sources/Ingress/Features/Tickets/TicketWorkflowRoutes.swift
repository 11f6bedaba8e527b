import Access
import CRM
import Conversations
import Delivery
import GatewayKit
import HTTPServer

/// The ticket workflow for agents (bearer token), on any ticket of `/v1/tickets`:
/// Changes are made as the caller (its credential names the actor; a body's `actor` must be that name) and audited.
/// - `POST /v1/tickets/{id}/status {"status", "outcome"?}` → 200 + ticket; a move the workflow does not
///   allow → 409 naming both statuses (``TicketStatus``).
/// - `POST /v1/tickets/{id}/assignment {"assignee": string|null}`, `…/category {"category"}`,
///   `…/outcome {"outcome"}` → 200 + ticket (null clears).
/// - `POST /v1/tickets/{id}/notes {"text"}` → 201 + note (internal: never sent to the customer).
/// - `GET /v1/tickets/{id}/history`, `…/messages`, `…/notes` → `{"items", "next_cursor"}` oldest first (`limit`,
///   `cursor`).
/// Unknown or deleted ticket → 404; bad bodies → 400 naming every bad field.
/// Collision control on every change (``TicketGuard``): `If-Match: "<version>"` → 412 with the current version when
/// the ticket changed since; 409 naming the holder while someone else holds its claim. Ticket answers carry the
/// version as `ETag`.
/// - `POST /v1/tickets/{id}/claim {"take_over"?: bool}` → the ticket, claimed by the caller for
///   `tickets.claim_duration` (again by the holder: renewed; `take_over` is for admins, recorded in the history);
///   `DELETE /v1/tickets/{id}/claim` → the ticket, released (the holder, or an admin).
struct TicketWorkflowRoutes {
    let desk: TicketDesk
    let links: RecordLinks
    /// Tickets outside the caller's scope answer 404.
    let scope: TicketScope
    /// Unix milliseconds of changes (the app's injected clock).
    let clock: @Sendable () -> Int64
    /// `tickets.claim_duration`.
    let claimMilliseconds: Int64

    func register(in router: inout Router) {
        for action in TicketWorkflowRequest.Action.allCases {
            router.add("POST", "/v1/tickets/{id}/\(action.rawValue)",
                       .requires(.ticketsWrite)) { [self] request, responder in
                guard let caller = request.caller(responder), let id = request.recordID(responder),
                      let ticketGuard = request.ticketGuard(for: caller, claimMilliseconds: claimMilliseconds, responder),
                      let body = request.jsonBody(responder) else { return }
                switch TicketWorkflowRequest.read(action, body: body, actor: caller.actor) {
                case .failure(let error): responder.problem(error)
                case .success(let change):
                    scope.check(id, for: caller, responder) {
                        apply(change, action: action, to: id, guardedBy: ticketGuard, by: caller, responder)
                    }
                }
            }
        }
        router.add("POST", "/v1/tickets/{id}/claim", .requires(.ticketsWrite)) { [self] request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder),
                  let ticketGuard = request.ticketGuard(for: caller, claimMilliseconds: claimMilliseconds, responder) else { return }
            var takeOver = false
            if !request.http.body.isEmpty {
                guard let body = request.jsonBody(responder) else { return }
                var v = FieldValidator(body.objectValue ?? [:])
                if body.objectValue == nil { v.fail("body", "must be a JSON object") }
                v.rejectUnknownKeys(allowed: ["take_over"])
                takeOver = v.optionalBool("take_over") ?? false
                guard v.errors.isEmpty else { return responder.problem(.validation(v.errors)) }
            }
            let (now, takingOver) = (clock(), takeOver)
            scope.check(id, for: caller, responder) {
                desk.claim(id, guardedBy: ticketGuard, takeOver: takingOver,
                           mayTakeOver: caller.principal.role == .admin, now: now,
                           addendum: caller.audited("ticket.claimed", "ticket", at: now, subject: { _ in String(id) },
                                                    detail: { _ in ["take_over": .bool(takingOver)] })) { result in
                    responder.answer(result) { responder.json($0.json(links), headers: [$0.etag]) }
                }
            }
        }
        router.add("DELETE", "/v1/tickets/{id}/claim", .requires(.ticketsWrite)) { [self] request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder),
                  let ticketGuard = request.ticketGuard(for: caller, claimMilliseconds: claimMilliseconds, responder) else { return }
            let now = clock()
            scope.check(id, for: caller, responder) {
                desk.release(id, guardedBy: ticketGuard, mayTakeOver: caller.principal.role == .admin, now: now,
                             addendum: caller.audited("ticket.claim_released", "ticket", at: now,
                                                      subject: { _ in String(id) })) { result in
                    responder.answer(result) { responder.json($0.json(links), headers: [$0.etag]) }
                }
            }
        }
        for thread in TicketDesk.Thread.allCases {
            router.add("GET", "/v1/tickets/{id}/\(thread.rawValue)",
                       .requires(.ticketsRead)) { [desk, scope] request, responder in
                guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
                let page: TicketPage
                switch TicketPage.parse(request.http.query) {
                case .failure(let error): return responder.problem(error)
                case .success(let parsed): page = parsed
                }
                scope.check(id, for: caller, responder) {
                    responder.answer(missing: "no ticket with id \(id)") {
                        try desk.page(thread, of: id, page).map(page.body)
                    }
                }
            }
        }
    }

    /// The ticket as it now is, or 201 with a new note.
    private func apply(_ change: TicketWorkflowRequest, action: TicketWorkflowRequest.Action, to id: Int64,
                       guardedBy ticketGuard: TicketGuard, by caller: Caller, _ responder: Responder) {
        let (links, now) = (self.links, clock())
        let audit: Addendum<TicketDesk.Change> = caller.audited(
            "ticket.\(action.rawValue)", "ticket", at: now, subject: { _ in String(id) },
            detail: { result in
                if case .note(let note) = result { return ["note_id": note["id"] ?? .null] }
                return change.auditDetail
            })
        desk.apply(change, to: id, guardedBy: ticketGuard, now: now, addendum: audit) { result in
            responder.answer(result) { change in
                switch change {
                case .note(let note): responder.json(note, status: 201)
                case .ticket(let ticket): responder.json(ticket.json(links), headers: [ticket.etag])
                }
            }
        }
    }
}

extension TicketWorkflowRequest {
    /// What the audit log keeps of a change: the new status, outcome, assignee or category (never a note's text).
    var auditDetail: [String: JSONValue] {
        switch self {
        case .status(let status, let outcome, _):
            var detail: [String: JSONValue] = ["status": .string(status.rawValue)]
            detail.put("outcome", outcome)
            return detail
        case .field(let field, let value, _): return [field.rawValue: value.map(JSONValue.string) ?? .null]
        case .note: return [:]
        }
    }
}
