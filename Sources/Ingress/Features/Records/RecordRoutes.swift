import Access
import CRM
import Delivery
import Foundation
import GatewayKit
import HTTPServer

/// `/v1/deals` and `/v1/tickets` (`deals.*` / `tickets.*`; every applied change audited as the caller):
/// `POST` creates (`201` + record; `Idempotency-Key` honoured), `GET /{id}` reads, `PATCH /{id}` updates (`200` +
/// record), `DELETE /{id}` deletes (`204`, also when already deleted; `404` for an id that never existed),
/// `GET` lists live records newest first (`room_id`, `contact_id`, `unique_id`, `limit`, `cursor`).
struct RecordRoutes {
    let kind: RecordKind
    let records: RecordDirectory
    let commands: RecordCommandService
    /// Tickets outside the caller's scope answer 404 (deals have no outlet and are not scoped).
    let scope: TicketScope
    private var links: RecordLinks { commands.links }
    /// Unix milliseconds: when an Idempotency-Key was used.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let collection = "/v1/\(kind.pathSegment)"
        let item = "\(collection)/{id}"
        router.add("POST", collection, kind.writePermission) { [self] request, responder in
            var ledger: IdempotencyKeyLedger?
            if let key = request.http.headers["Idempotency-Key"] {
                guard IdempotencyKeyLedger.isValid(key) else {
                    return responder.problem(.validation([FieldError(
                        field: "Idempotency-Key", message: "must be 1-255 visible ASCII characters")]))
                }
                ledger = IdempotencyKeyLedger(route: "POST \(collection)", key: key, body: request.http.body,
                                              now: clock())
            }
            execute(.create, request, responder, ledger: ledger)
        }
        router.add("PATCH", item, kind.writePermission) { [self] request, responder in
            guard let id = request.recordID(responder) else { return }
            visible(id, request, responder) { execute(.update, request, responder, id: id) }
        }
        router.add("DELETE", item, kind.writePermission) { [self] request, responder in
            guard let id = request.recordID(responder) else { return }
            visible(id, request, responder) { execute(.delete, request, responder, id: id, bodyOptional: true) }
        }
        router.add("GET", item, kind.readPermission) { [self] request, responder in
            guard let id = request.recordID(responder) else { return }
            visible(id, request, responder) {
                responder.answer(missing: "no \(kind.rawValue) with id \(id)") {
                    try records.record(kind, id: id)?.json(links)
                }
            }
        }
        router.add("GET", collection, kind.readPermission) { [self] request, responder in
            guard let caller = request.caller(responder) else { return }
            var query: RecordQuery
            switch RecordQuery.parse(request.http.query, filters: kind.listFilters, values: kind.listFilterValues,
                                     aliases: kind.payloadAliases) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): query = parsed
            }
            if kind == .ticket, let error = query.limitTickets(to: TicketScope.listing(for: caller),
                                                               archived: request.http.query["archived"]) {
                return responder.problem(error)
            }
            if kind == .ticket, let error = query.filterInbox(request.http.query, now: clock()) {
                return responder.problem(error)
            }
            let scoped = query
            responder.answer(missing: "") {
                let page = try records.list(kind, scoped)
                return ["items": .array(page.map { $0.json(links) }),
                        "next_cursor": page.count == scoped.limit ? .string(String(page.last!.id)) : .null]
            }
        }
    }

    /// Runs `proceed` for a deal, or for a ticket inside the caller's scope (else 404).
    private func visible(_ id: Int64, _ request: RouteRequest, _ responder: Responder,
                         then proceed: @escaping @Sendable () -> Void) {
        guard kind == .ticket, let caller = request.caller(responder) else { return proceed() }
        scope.check(id, for: caller, responder, then: proceed)
    }

    /// Reads the body, validates it and runs the command.
    private func execute(_ action: RecordCommand.Action.Name, _ request: RouteRequest, _ responder: Responder,
                         id: Int64? = nil, ledger: (any ReplayLedger)? = nil, bodyOptional: Bool = false) {
        guard let caller = request.caller(responder) else { return }
        var data: [String: JSONValue] = [:]
        if !(bodyOptional && request.http.body.isEmpty) {
            let json: JSONValue
            do {
                json = try JSONParser.parse(request.http.body)
            } catch {
                return responder.problem(.malformedJSON(error))
            }
            guard let object = json.objectValue else {
                return responder.problem(.validation([FieldError(field: "body", message: "must be a JSON object, got \(json.typeName)")]))
            }
            data = object
        }
        let read = RecordCommandReader.read(kind: kind, action: action, data: data, prefix: "",
                                            id: id.map { .path($0) } ?? .payload)
        guard case .success(let (commandAction, input)) = read else {
            if case .failure(let error) = read { responder.problem(error) }
            return
        }
        let command = RecordCommand(kind: kind, action: commandAction, input: input, origin: .api,
                                    traceparent: request.traceContext)
        // Audited when applied: `deal.created`, `ticket.updated`, … (a repeat answered from the ledger is not).
        let audit: Addendum<AppliedCommand> = caller.audited(
            "\(kind.rawValue).\(action.rawValue)", kind.rawValue, at: clock(),
            subject: { ($0.record?.id ?? id).map(String.init) }, detail: { ["status": .integer(Int64($0.status))] })
        commands.execute(command, ledger: ledger, addendum: audit) { result in
            switch result {
            case .success(let reply): responder.reply(reply)
            case .failure(let error): responder.problem(error)
            }
        }
    }
}

extension RecordKind {
    /// What reading deals or tickets needs.
    var readPermission: RoutePermission {
        switch self {
        case .deal: return .requires(.dealsRead)
        case .ticket: return .requires(.ticketsRead)
        }
    }

    /// What creating, changing or deleting them needs.
    var writePermission: RoutePermission {
        switch self {
        case .deal: return .requires(.dealsWrite)
        case .ticket: return .requires(.ticketsWrite)
        }
    }
}
