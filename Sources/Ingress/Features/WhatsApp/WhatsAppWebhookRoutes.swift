import Access
import Crypto
import Delivery
import GatewayKit
import HTTPServer
import WhatsAppAdapter

/// `GET /webhooks/whatsapp` — Meta's subscription handshake; `POST /webhooks/whatsapp` — signed Cloud API callbacks,
/// committed to the inbox before the 200 (Meta retries anything else, so acknowledging early could lose events).
struct WhatsAppWebhookRoutes {
    let verifier: MetaSignatureVerifier
    let verifyToken: String?
    let ingest: InboxIngest

    func register(in router: inout Router) {
        let verifier = self.verifier
        let verifyToken = self.verifyToken.map { Array($0.utf8) }
        let ingest = self.ingest
        router.add("GET", "/webhooks/whatsapp", .open(reason: "Meta's verify-token handshake")) { request, responder in
            let query = request.http.query
            guard let expected = verifyToken else {
                responder.problem(.forbidden("no WhatsApp verify token is configured"))
                return
            }
            guard query["hub.mode"] == "subscribe",
                  let token = query["hub.verify_token"], ConstantTime.equals(Array(token.utf8), expected)
            else {
                responder.problem(.forbidden("hub.mode must be subscribe and hub.verify_token must match"))
                return
            }
            guard let challenge = query["hub.challenge"], !challenge.isEmpty else {
                responder.problem(.validation([FieldError(field: "hub.challenge", message: "is required")]))
                return
            }
            responder.text(challenge)
        }
        router.add("POST", "/webhooks/whatsapp",
                   .open(reason: "signed by Meta (X-Hub-Signature-256)")) { request, responder in
            let signature: [UInt8]
            do throws(VerificationError) {
                signature = try verifier.verify(body: request.http.body,
                                                signatureHeader: request.http.headers[MetaSignatureVerifier.headerName])
            } catch {
                ingest.reject(.whatsapp, "rejected_signature", .unauthenticated(error), request, responder)
                return
            }
            guard let json = ingest.parseJSON(.whatsapp, request, responder, levels: WhatsAppEnvelope.levels)
            else { return }
            let problems = WhatsAppEnvelope.validate(json)
            guard problems.isEmpty else {
                ingest.reject(.whatsapp, "invalid", .validation(problems), request, responder)
                return
            }
            // Meta re-sends an unacknowledged delivery byte-for-byte, so its signature — the app secret's HMAC of
            // the body, just checked — identifies it. (A re-send signed with another secret, after a rotation, is
            // logged again; its items are still applied once, by their own keys.)
            ingest.accept(request, source: .whatsapp, dedupeKey: Hex.encode(signature, after: "whatsapp:"), status: 200,
                          responder: responder)
        }
    }
}
