import Access
import Conversations
import Delivery
import Dispatch
import GatewayKit
import HTTPServer

/// `GET /v1/stream` (`tickets.read`): the desk's live changes as Server-Sent Events, for screens that update without
/// reloading. Each event names a ticket the caller may see (their outlet scope, as every ticket route) and what
/// happened to it — `event: ticket`, `data: {"ticket_id": 7, "kind": "message"}` with kind `opened`, `changed`,
/// `message`, `note`, `csat` or `sla` — and carries its feed position as `id`. The first event is `ready` with the
/// current position; a client reconnecting with `Last-Event-ID` (browsers send it by themselves; `?last_event_id=`
/// for clients that cannot set headers) gets every event it missed, or `reset` when too many happened or they were
/// purged (after a day): it then reloads what it shows. Heartbeat comments keep a quiet stream open; each connection
/// serves one minute, then ends and the browser reconnects (`retry: 2000`), so its credentials are checked again.
/// 400 names a malformed `Last-Event-ID` or an unknown parameter.
struct TicketEventRoutes {
    let hub: TicketEventHub

    func register(in router: inout Router) {
        let hub = self.hub
        router.add("GET", "/v1/stream", .requires(.ticketsRead)) { request, responder in
            guard let caller = request.caller(responder) else { return }
            let query = request.http.query
            var errors = query.keys.filter { $0 != "last_event_id" }.sorted().map {
                FieldError(field: $0, message: "is not a parameter of the stream (last_event_id)")
            }
            let presented = [request.http.headers["Last-Event-ID"], query["last_event_id"]]
                .compactMap { $0?.trimmingSpaces }.first { !$0.isEmpty }
            let resumeFrom = presented.flatMap { LogPosition(eventID: $0) }
            if presented != nil, resumeFrom == nil {
                errors.append(FieldError(field: "Last-Event-ID", message: "must be the id of an event this stream "
                                         + "sent (a whole number, or two joined by a dot)"))
            }
            guard errors.isEmpty else { return responder.problem(.validation(errors)) }
            DispatchQueue.global().async {
                do {
                    let subscriber = try hub.subscribe(scope: caller.principal.scope, resumeFrom: resumeFrom)
                    let body = HTTPBodyStream(longLived: true, produce: { subscriber.produce(into: &$0) },
                                              close: { _ in hub.unsubscribe(subscriber) })
                    subscriber.body = body
                    responder.respond(HTTPResponse(status: 200, headers: [
                        ("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-store"),
                        ("X-Accel-Buffering", "no"),
                    ], stream: body))
                } catch {
                    responder.problem(.storage(error))
                }
            }
        }
    }
}
