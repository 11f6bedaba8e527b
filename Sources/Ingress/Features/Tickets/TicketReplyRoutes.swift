import Conversations
import Crypto
import Delivery
import GatewayKit
import Messaging
import Storage

/// Agent replies on conversation tickets (bearer token):
/// - `POST /v1/tickets/{id}/messages` — ``TicketReplyRequest`` body (`{"actor", "text"}` or `{"actor", "template":
///   {"name", "language"?, "parameters"}}`), optional `Idempotency-Key` → `202` with the outbound ticket message
///   (a replayed key: the first one, `Idempotent-Replayed: true`). 400 naming the field (outside the 24-hour window
///   for `text`; template name, language, parameter count), 404 unknown ticket, 409 closed ticket or a key reused
///   with another body. Nothing is written on any refusal.
struct TicketReplyRoutes {
    let store: any GatewayStore
    let replies: TicketReplies
    let auth: AdminAuth
    /// Unix milliseconds (the app's injected clock).
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let (store, replies, clock) = (self.store, self.replies, self.clock)
        router.add("POST", "/v1/tickets/{id}/messages", auth.protect { request, responder in
            guard let id = request.recordID(responder), let (key, body) = request.keyedJSONBody(responder) else { return }
            let reply: TicketReplyRequest
            switch TicketReplyRequest.parse(body) {
            case .failure(let error): return responder.problem(error)
            case .success(let parsed): reply = parsed
            }
            let scopedKey = key ?? "auto:" + Hex.encode(SecureRandom.bytes(12))
            let now = clock()
            store.database.write({ c in
                try replies.reply(reply, to: id, idempotencyKey: scopedKey, now: now, in: c)
            }, completion: { result in
                switch result {
                case .success(let (message, created)):
                    responder.json(message, status: 202, headers: created ? [] : [("Idempotent-Replayed", "true")])
                case .failure(let error as GatewayError): responder.problem(error)
                case .failure(let error as WhatsAppSendError): responder.problem(GatewayError(error))
                case .failure(let error): responder.problem(GatewayError.storage(error))
                }
            })
        })
    }
}
