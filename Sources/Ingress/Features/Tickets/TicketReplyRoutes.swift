import Access
import Conversations
import Crypto
import Delivery
import GatewayKit
import Messaging

/// Agent replies on conversation tickets (bearer token):
/// - `POST /v1/tickets/{id}/messages` — ``TicketReplyRequest`` body (`{"actor", "text"}` or `{"actor", "template":
///   {"name", "language"?, "parameters"}}`), optional `Idempotency-Key` → `202` with the outbound ticket message
///   (a replayed key: the first one, `Idempotent-Replayed: true`). 400 naming the field (outside the 24-hour window
///   for `text`; template name, language, parameter count), 404 unknown ticket, 409 closed ticket or a key reused
///   with another body, or while someone else holds the ticket's claim; 412 with a stale `If-Match`
///   (``TicketGuard``). Nothing is written on any refusal.
struct TicketReplyRoutes {
    let desk: TicketDesk
    /// Tickets outside the caller's scope answer 404.
    let scope: TicketScope
    /// Unix milliseconds (the app's injected clock).
    let clock: @Sendable () -> Int64
    /// `tickets.claim_duration`.
    let claimMilliseconds: Int64

    func register(in router: inout Router) {
        let (desk, clock, scope, claimMilliseconds) = (self.desk, self.clock, self.scope, self.claimMilliseconds)
        router.add("POST", "/v1/tickets/{id}/messages", .requires(.ticketsWrite)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder),
                  let ticketGuard = request.ticketGuard(for: caller, claimMilliseconds: claimMilliseconds, responder),
                  let (key, body) = request.keyedJSONBody(responder) else { return }
            let reply: TicketReplyRequest
            switch TicketReplyRequest.parse(body, actor: caller.actor) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): reply = parsed
            }
            let scopedKey = key ?? "auto:" + Hex.encode(SecureRandom.bytes(12))
            let now = clock()
            let audit: Addendum<(message: JSONValue, created: Bool)> = caller.audited(
                "ticket.replied", "ticket", at: now, subject: { _ in String(id) },
                detail: { ["message_id": $0.message["id"] ?? .null] })
            scope.check(id, for: caller, responder) {
                desk.reply(reply, to: id, guardedBy: ticketGuard, idempotencyKey: scopedKey, now: now,
                           addendum: { reply, c in if reply.created { try audit(reply, c) } }) { result in
                    responder.answer(result, responder.queuedReply)
                }
            }
        }
    }
}

extension Responder {
    /// `202` with a queued reply's ticket message; a replayed `Idempotency-Key` (nothing new sent) is marked
    /// `Idempotent-Replayed: true`.
    func queuedReply(_ reply: (message: JSONValue, created: Bool)) {
        json(reply.message, status: 202, headers: reply.created ? [] : [("Idempotent-Replayed", "true")])
    }
}
