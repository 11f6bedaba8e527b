import CRM
import Conversations
import Delivery
import Dispatch
import GatewayKit
import HTTPServer
import Storage

/// The ticket workflow for agents (bearer token), on any ticket of `/v1/tickets`:
/// - `POST /v1/tickets/{id}/status {"status", "outcome"?, "actor"}` → 200 + ticket; a move the workflow does not
///   allow → 409 naming both statuses (``TicketStatus``).
/// - `POST /v1/tickets/{id}/assignment {"assignee": string|null, "actor"}`, `…/category {"category", "actor"}`,
///   `…/outcome {"outcome", "actor"}` → 200 + ticket (null clears).
/// - `POST /v1/tickets/{id}/notes {"text", "actor"}` → 201 + note (internal: never sent to the customer).
/// - `GET /v1/tickets/{id}/history`, `…/messages`, `…/notes` → `{"items", "next_cursor"}` oldest first (`limit`,
///   `cursor`).
/// Unknown or deleted ticket → 404; bad bodies → 400 naming every bad field.
struct TicketWorkflowRoutes {
    let store: any GatewayStore
    let workflow: TicketWorkflow
    let links: RecordLinks
    let auth: AdminAuth
    /// Unix milliseconds of changes (the app's injected clock).
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        for action in TicketWorkflowRequest.Action.allCases {
            router.add("POST", "/v1/tickets/{id}/\(action.rawValue)", auth.protect { [self] request, responder in
                guard let id = request.recordID(responder), let body = request.jsonBody(responder) else { return }
                switch TicketWorkflowRequest.read(action, body: body) {
                case .failure(let error): responder.problem(error)
                case .success(let change): apply(change, to: id, responder)
                }
            })
        }
        let lists: [(String, @Sendable (Int64, TicketPage, any DatabaseConnection) throws -> [JSONValue])] = [
            ("history", TicketHistory.list), ("messages", TicketMessages.list), ("notes", TicketNotes.list),
        ]
        for (name, list) in lists {
            router.add("GET", "/v1/tickets/{id}/\(name)", auth.protect { [store] request, responder in
                guard let id = request.recordID(responder) else { return }
                let page: TicketPage
                switch TicketPage.parse(request.http.query) {
                case .failure(let error): return responder.problem(error)
                case .success(let parsed): page = parsed
                }
                DispatchQueue.global().async {
                    do {
                        let items = try store.read { c -> [JSONValue]? in
                            guard let ticket = try RecordTable.tickets.find(id, in: c), !ticket.isDeleted else {
                                return nil
                            }
                            return try list(id, page, c)
                        }
                        guard let items else { return responder.problem(.notFound("no ticket with id \(id)")) }
                        responder.json(page.body(items))
                    } catch {
                        responder.problem(GatewayError.storage(error))
                    }
                }
            })
        }
    }

    /// One writer operation: the change, its history and observers' writes, then the ticket (or note) as answered.
    private func apply(_ change: TicketWorkflowRequest, to id: Int64, _ responder: Responder) {
        let (workflow, links, now) = (self.workflow, self.links, clock())
        store.database.write({ c -> (Int, JSONValue) in
            if let note = try workflow.apply(change, to: id, now: now, in: c) { return (201, note) }
            guard let ticket = try RecordTable.tickets.find(id, in: c) else {
                throw GatewayError.notFound("no ticket with id \(id)")
            }
            return (200, ticket.json(links))
        }, completion: { result in
            switch result {
            case .success(let (status, body)): responder.json(body, status: status)
            case .failure(let error as GatewayError): responder.problem(error)
            case .failure(let error): responder.problem(GatewayError.storage(error))
            }
        })
    }
}
