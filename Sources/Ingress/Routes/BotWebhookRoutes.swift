import Adapters
import Foundation
import GatewayCore

/// `POST /webhooks/chatbot` and `POST /webhooks/agent`: Standard Webhooks–signed command envelopes from bots and
/// agentic-AI agents. Validated, committed to the inbox and acknowledged with `202` and the inbox id; a replayed
/// `webhook-id` receives the first answer and is not stored again.
struct BotWebhookRoutes {
    let verifier: StandardWebhookVerifier
    let ingest: InboxIngest
    /// Current unix time in seconds; injectable so tests can check the tolerance window.
    let now: @Sendable () -> Int64

    func register(in router: inout Router) {
        for (path, source) in [("/webhooks/chatbot", InboxSource.chatbot), ("/webhooks/agent", .agent)] {
            let verifier = self.verifier
            let ingest = self.ingest
            let now = self.now
            router.add("POST", path) { request, responder in
                let headers = request.http.headers
                let id = headers[StandardWebhookVerifier.idHeader]
                do throws(VerificationError) {
                    try verifier.verify(id: id, timestamp: headers[StandardWebhookVerifier.timestampHeader],
                                        signature: headers[StandardWebhookVerifier.signatureHeader],
                                        body: request.http.body, now: now())
                } catch {
                    ingest.reject(source, "rejected_signature", .unauthenticated(error), request, responder)
                    return
                }
                guard let json = ingest.parseJSON(source, request, responder) else { return }
                switch BotCommandEnvelope.parse(json) {
                case .failure(let error):
                    ingest.reject(source, "invalid", error, request, responder)
                case .success(let command):
                    ingest.accept(request, source: source, dedupeKey: "\(source.rawValue):\(id ?? "")", status: 202,
                                  extra: ["type": .string(command.type.rawValue)], responder: responder)
                }
            }
        }
    }
}
