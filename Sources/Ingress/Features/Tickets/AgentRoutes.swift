import Access
import Conversations
import GatewayKit
import HTTPServer

/// `POST /v1/agents/me/availability {"available": bool}` (`tickets.write`): the caller is taking tickets or not
/// (``AgentAvailability``); going unavailable hands their open tickets on → `{"actor", "available", "redistributed"}`.
struct AgentRoutes {
    let availability: AgentAvailability
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (availability, clock) = (self.availability, self.clock)
        router.add("POST", "/v1/agents/me/availability", .requires(.ticketsWrite)) { request, responder in
            guard let caller = request.caller(responder), let body = request.jsonBody(responder) else { return }
            var v = FieldValidator(body.objectValue ?? [:])
            if body.objectValue == nil { v.fail("body", "must be a JSON object") }
            v.rejectUnknownKeys(allowed: ["available"])
            let available = v.optionalBool("available")
            if body.objectValue != nil, available == nil, v.errors.isEmpty { v.fail("available", "is required") }
            guard v.errors.isEmpty, let available else { return responder.problem(.validation(v.errors)) }
            availability.set(available, by: caller, now: clock()) { result in
                responder.answer(result) { responder.json($0) }
            }
        }
    }
}
