import Access
import Crypto
import Delivery
import GatewayKit
import HTTPServer
import Messaging

/// The admin API of outbound WhatsApp messages (bearer token):
/// - `POST /v1/whatsapp/messages` — ``WhatsAppSendRequest`` body, optional `Idempotency-Key` (1–200 visible ASCII;
///   the same key and body again answers the first message with `Idempotent-Replayed: true`, another body 409) →
///   `202` with the queued message.
/// - `GET /v1/whatsapp/messages/{id}` → the message: status, `wamid`, error (with its reason), and the conversation,
///   pricing and playback Meta reported.
/// - `GET /v1/whatsapp/messages?purpose=…&reference=…` → `{"items": […]}`, oldest first.
/// - `GET /v1/templates` → `{"items": […]}`, the loaded templates by name, each language with Meta's last word on it.
/// - `GET /v1/whatsapp/account` → the account's health as Meta reported it: restricted or not, the latest report per
///   topic, the recent history.
struct WhatsAppMessageRoutes {
    let messages: WhatsAppMessages
    /// Unix milliseconds of the audit rows (the app's clock).
    let clock: @Sendable () -> Int64

    /// Why messages to any phone are for unrestricted callers only.
    static let unscoped = "WhatsApp messages go to any phone, not to an outlet; reply on a ticket "
        + "(POST /v1/tickets/{id}/messages)"

    func register(in router: inout Router) {
        let (messages, clock) = (self.messages, self.clock)
        router.add("POST", "/v1/whatsapp/messages", .requires(.messagesSend)) { request, responder in
            guard let caller = request.unrestrictedCaller(responder, Self.unscoped),
                  let (key, body) = request.keyedJSONBody(responder) else { return }
            let parsed = WhatsAppSendRequest.parse(
                body, idempotencyKey: key ?? "api:" + Hex.encode(SecureRandom.bytes(12)),
                traceparent: TraceParent.continuing(request.http.headers["traceparent"]))
            guard case .success(let send) = parsed else {
                if case .failure(let error) = parsed { responder.problem(error) }
                return
            }
            let audit: Addendum<WhatsAppMessages.Queued> = caller.audited(
                "whatsapp_message.queued", "whatsapp_message", at: clock(),
                subject: { $0.message.map { String($0.id) } }, detail: { ["content": .string($0.message?.contentKind ?? ""), "purpose": .string($0.message?.purpose ?? "")] })
            // A repeat of an idempotency key queues nothing and is not audited again.
            messages.send(send, addendum: { queued, c in if queued.created { try audit(queued, c) } }) { result in
                responder.answer(result) { queued in
                    responder.json(queued.message?.json ?? .null, status: 202,
                                   headers: queued.created ? [] : [("Idempotent-Replayed", "true")])
                }
            }
        }
        router.add("GET", "/v1/whatsapp/messages/{id}", .requires(.messagesRead)) { request, responder in
            guard request.unrestrictedCaller(responder, Self.unscoped) != nil else { return }
            guard let id = Int64(request.parameters["id"] ?? ""), id > 0 else {
                return responder.problem(.validation([FieldError(field: "id", message: "must be a positive integer")]))
            }
            responder.answer(missing: "no WhatsApp message \(id)") { try messages.document(id: id) }
        }
        router.add("GET", "/v1/whatsapp/messages", .requires(.messagesRead)) { request, responder in
            guard request.unrestrictedCaller(responder, Self.unscoped) != nil else { return }
            let query = request.http.query
            let missing = ["purpose", "reference"].filter { (query[$0] ?? "").isEmpty }
            guard missing.isEmpty, let purpose = query["purpose"], let reference = query["reference"] else {
                return responder.problem(.validation(missing.map { FieldError(field: $0, message: "is required") }))
            }
            responder.answer(missing: "") {
                ["items": .array(try messages.messages(purpose: purpose, reference: reference).map(\.json))]
            }
        }
        router.add("GET", "/v1/templates", .requires(.messagesRead)) { _, responder in
            responder.answer(missing: "") { try messages.templates() }
        }
        router.add("GET", "/v1/whatsapp/account", .requires(.messagesRead)) { _, responder in
            responder.answer(missing: "") { try messages.account() }
        }
    }
}
