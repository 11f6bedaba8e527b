import Access
import Delivery
import Foundation
import GatewayKit
import HTTPServer

/// `GET /v1/dead-letters` (filters `endpoint`, `since`; newest first, `limit` + `cursor` paging) and
/// `POST /v1/dead-letters/{id}/replay` (back to the outbox under the same idempotency key). Admin only.
struct DeadLetterRoutes {
    let deadLetters: DeadLetterService
    /// Unix ms (tests move time).
    let now: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (deadLetters, now) = (self.deadLetters, self.now)
        router.add("GET", "/v1/dead-letters", .requires(.deliveryManage)) { request, responder in
            let query: DeadLetterQuery
            switch Self.listQuery(request.http.query, now: now()) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): query = parsed
            }
            responder.answer(missing: "") {
                let page = try deadLetters.list(query)
                return ["items": .array(page.items.map(\.json)),
                        "next_cursor": page.nextCursor.map { .string(String($0)) } ?? .null]
            }
        }
        router.add("POST", "/v1/dead-letters/{id}/replay", .requires(.deliveryManage)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            guard let id = request.parameters["id"].flatMap(Int64.init), id > 0 else {
                return responder.problem(.validation([FieldError(field: "id", message: "must be a positive integer")]))
            }
            let at = now()
            let audit: Addendum<Int64> = caller.audited("dead_letter.replayed", "dead_letter", at: at,
                                                        subject: { _ in String(id) },
                                                        detail: { ["outbox_id": .integer($0)] })
            deadLetters.replay(id: id, now: at, addendum: audit) { result in
                responder.answer(result) { outboxID in
                    guard let outboxID else { return responder.problem(.notFound("no dead letter with id \(id)")) }
                    responder.json(["status": "requeued", "dead_letter_id": .integer(id), "outbox_id": .integer(outboxID)])
                }
            }
        }
    }

    /// The listing's query parameters, every bad one named in a single 400.
    static func listQuery(_ parameters: [String: String], now: Int64) -> Result<DeadLetterQuery, GatewayError> {
        var query = DeadLetterQuery()
        var errors: [FieldError] = []
        if let endpoint = parameters["endpoint"] {
            if EndpointName(endpoint).isValid { query.endpoint = EndpointName(endpoint) } else {
                errors.append(FieldError(field: "endpoint", message: "must be an endpoint name (a-z, 0-9, _ and -)"))
            }
        }
        if let since = parameters["since"] {
            query.sinceMillis = TimeFilter.sinceMillis(since, now: now)
            if query.sinceMillis == nil {
                errors.append(FieldError(field: "since", message: "must be an RFC 3339 time or a duration such as 24h"))
            }
        }
        if let limit = parameters["limit"] {
            if let value = Int(limit), (1...DeadLetterQuery.maxLimit).contains(value) { query.limit = value } else {
                errors.append(FieldError(field: "limit", message: "must be an integer between 1 and \(DeadLetterQuery.maxLimit)"))
            }
        }
        if let cursor = parameters["cursor"] {
            if let value = Int64(cursor), value > 0 { query.beforeID = value } else {
                errors.append(FieldError(field: "cursor", message: "must be the next_cursor of a previous page"))
            }
        }
        return errors.isEmpty ? .success(query) : .failure(.validation(errors))
    }
}
