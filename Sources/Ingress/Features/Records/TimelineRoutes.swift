import Access
import CRM
import Delivery
import GatewayKit
import HTTPServer

/// `GET /v1/timeline?deal_id=…` or `?ticket_id=…` → `{"items": [entry, ...]}` oldest first. Entries are read-only:
/// no route edits or deletes them (only the one-year retention purge does). An unknown or deleted record is a 404.
struct TimelineRoutes {
    let records: RecordDirectory
    /// A ticket's timeline is visible only with the ticket (its scope).
    let scope: TicketScope

    func register(in router: inout Router) {
        router.add("GET", "/v1/timeline", .requires(.contactsRead)) { [records, scope] request, responder in
            guard let caller = request.caller(responder) else { return }
            let target: (RecordKind, Int64)
            switch Self.target(request.http.query) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): target = parsed
            }
            let (kind, id) = target
            let answer: @Sendable () -> Void = {
                responder.answer(missing: "no \(kind.rawValue) with id \(id)") {
                    try records.timeline(kind, recordID: id).map { ["items": .array($0.map(\.json))] }
                }
            }
            if kind == .ticket { scope.check(id, for: caller, responder, then: answer) } else { answer() }
        }
    }

    /// Exactly one of `deal_id` / `ticket_id`, a positive integer.
    static func target(_ query: [String: String]) -> Result<(RecordKind, Int64), GatewayError> {
        let given = RecordKind.allCases.filter { query[$0.idParameter] != nil }
        guard given.count == 1, let kind = given.first else {
            let message = given.isEmpty ? "one of deal_id or ticket_id is required" : "give deal_id or ticket_id, not both"
            return .failure(.validation(RecordKind.allCases.map { FieldError(field: $0.idParameter, message: message) }))
        }
        guard let id = query[kind.idParameter].flatMap(Int64.init), id > 0 else {
            return .failure(.validation([FieldError(field: kind.idParameter, message: "must be a positive integer record id")]))
        }
        return .success((kind, id))
    }
}
