import Access
import CRM
import Conversations
import Delivery
import Dispatch
import GatewayKit
import HTTPServer

/// `POST /v1/tickets/assignments {"assignee": string|null, "tickets": [{"id", "version"?}, …]}` (`tickets.write`):
/// the inbox's bulk assignment. Each ticket is assigned on its own, one after the other, exactly as
/// `POST /v1/tickets/{id}/assignment` with `If-Match: "<version>"` would: its own scope check (a ticket outside the
/// caller's outlets is "not found"), version check (412), claim check (409), transaction, history row and
/// `ticket.assignment` audit event (with `"bulk": true`). A refused ticket is reported and leaves the others alone.
/// → 200 `{"assignee", "assigned": n, "results": [{"id", "result": "assigned", "ticket"} | {"id", "result":
/// "refused", "status", "problem"}]}` in the order asked; a bad body → 400 naming every bad field, nothing changed.
/// It shares the single ticket workflow's desk, scope, clock and claim duration.
extension TicketWorkflowRoutes {
    func registerBulkAssignment(in router: inout Router) {
        router.add("POST", "/v1/tickets/assignments", .requires(.ticketsWrite)) { [self] request, responder in
            guard let caller = request.caller(responder), let body = request.jsonBody(responder) else { return }
            switch TicketBulkAssignment.read(body, actor: caller.actor) {
            case .failure(let error): responder.problem(error)
            case .success(let bulk):
                DispatchQueue.global().async {
                    assignInTurn(bulk, from: 0, results: [], by: caller) { results in
                        let assigned = results.filter { $0["result"] == "assigned" }.count
                        responder.json(["assignee": bulk.change.auditDetail["assignee"] ?? .null,
                                        "assigned": .integer(Int64(assigned)), "results": .array(results)])
                    }
                }
            }
        }
    }

    /// Assigns `bulk.items[index...]` one at a time (each step off the writer's thread), then calls `done`.
    private func assignInTurn(_ bulk: TicketBulkAssignment, from index: Int, results: [JSONValue], by caller: Caller,
                        done: @escaping @Sendable ([JSONValue]) -> Void) {
        guard index < bulk.items.count else { return done(results) }
        let item = bulk.items[index]
        let next: @Sendable (JSONValue) -> Void = { result in
            DispatchQueue.global().async {
                assignInTurn(bulk, from: index + 1, results: results + [result], by: caller, done: done)
            }
        }
        do {
            guard try scope.isVisible(item.id, to: caller) else {
                return next(Self.refused(item.id, .notFound("no ticket with id \(item.id)")))
            }
        } catch {
            return next(Self.refused(item.id, error as? GatewayError ?? .storeUnavailable("\(error)")))
        }
        let now = clock()
        let ticketGuard = TicketGuard(expectedVersion: item.version, actor: caller.actor,
                                      claimMilliseconds: claimMilliseconds)
        let detail = bulk.change.auditDetail.merging(["bulk": true]) { $1 }
        let audit: Addendum<TicketDesk.Change> = caller.audited("ticket.assignment", "ticket", at: now,
                                                                subject: { _ in String(item.id) }, detail: { _ in detail })
        desk.apply(bulk.change, to: item.id, guardedBy: ticketGuard, now: now, addendum: audit) { [links] result in
            switch result {
            case .success(.ticket(let ticket)):
                next(["id": .integer(item.id), "result": "assigned", "ticket": ticket.json(links)])
            case .success(.note):
                next(Self.refused(item.id, .internalError("an assignment wrote a note")))
            case .failure(let error):
                next(Self.refused(item.id, error))
            }
        }
    }

    /// A ticket left alone, with the problem its own route would have answered.
    private static func refused(_ id: Int64, _ error: GatewayError) -> JSONValue {
        let problem = Problem(error)
        return ["id": .integer(id), "result": "refused", "status": .integer(Int64(problem.status)),
                "problem": problem.json]
    }
}
