import Crypto
import Delivery
import Dispatch
import GatewayKit
import HTTPServer
import Messaging
import Storage

/// The admin API of outbound WhatsApp messages (bearer token):
/// - `POST /v1/whatsapp/messages` — ``WhatsAppSendRequest`` body, optional `Idempotency-Key` (1–200 visible ASCII;
///   the same key and body again answers the first message with `Idempotent-Replayed: true`, another body 409) →
///   `202` with the queued message.
/// - `GET /v1/whatsapp/messages/{id}` → the message: status, `wamid`, error.
/// - `GET /v1/whatsapp/messages?purpose=…&reference=…` → `{"items": […]}`, oldest first.
/// - `GET /v1/templates` → `{"items": […]}`, the loaded templates by name.
struct WhatsAppMessageRoutes {
    let store: any GatewayStore
    let sender: WhatsAppSender
    let auth: AdminAuth

    func register(in router: inout Router) {
        let (store, sender) = (self.store, self.sender)
        router.add("POST", "/v1/whatsapp/messages", auth.protect { request, responder in
            guard let (key, body) = request.keyedJSONBody(responder) else { return }
            let parsed = WhatsAppSendRequest.parse(
                body, idempotencyKey: key ?? "api:" + Hex.encode(SecureRandom.bytes(12)),
                traceparent: TraceParent.continuing(request.http.headers["traceparent"]))
            guard case .success(let send) = parsed else {
                if case .failure(let error) = parsed { responder.problem(error) }
                return
            }
            store.database.write({ connection -> (JSONValue, Bool) in
                let queued = try sender.enqueue(send, in: connection)
                return (try WhatsAppOutboundTable.message(id: queued.id, in: connection)?.json ?? .null, queued.created)
            }, completion: { result in
                switch result {
                case .success(let (message, created)):
                    responder.json(message, status: 202, headers: created ? [] : [("Idempotent-Replayed", "true")])
                case .failure(let error as WhatsAppSendError): responder.problem(GatewayError(error))
                case .failure(let error): responder.problem(GatewayError.storage(error))
                }
            })
        })
        router.add("GET", "/v1/whatsapp/messages/{id}", auth.protect { request, responder in
            guard let id = Int64(request.parameters["id"] ?? ""), id > 0 else {
                return responder.problem(.validation([FieldError(field: "id", message: "must be a positive integer")]))
            }
            Self.read(store, responder) { connection in
                guard let message = try WhatsAppOutboundTable.message(id: id, in: connection) else {
                    throw GatewayError.notFound("no WhatsApp message \(id)")
                }
                return message.json
            }
        })
        router.add("GET", "/v1/whatsapp/messages", auth.protect { request, responder in
            let query = request.http.query
            let missing = ["purpose", "reference"].filter { (query[$0] ?? "").isEmpty }
            guard missing.isEmpty, let purpose = query["purpose"], let reference = query["reference"] else {
                return responder.problem(.validation(missing.map { FieldError(field: $0, message: "is required") }))
            }
            Self.read(store, responder) { connection in
                ["items": .array(try WhatsAppOutboundTable.messages(purpose: purpose, reference: reference,
                                                                   in: connection).map(\.json))]
            }
        })
        let templates: JSONValue = ["items": .array(sender.catalog.templates.keys.sorted().compactMap {
            sender.catalog.templates[$0]?.json
        })]
        router.add("GET", "/v1/templates", auth.protect { _, responder in responder.json(templates) })
    }

    /// Reads off libmicrohttpd's threads; a thrown ``GatewayError`` is the answer.
    private static func read(_ store: any GatewayStore, _ responder: Responder,
                             _ body: @escaping @Sendable (any DatabaseConnection) throws -> JSONValue) {
        DispatchQueue.global().async {
            do {
                responder.json(try store.read(body))
            } catch let error as GatewayError {
                responder.problem(error)
            } catch {
                responder.problem(GatewayError.storage(error))
            }
        }
    }
}
