import Access
import CRM
import Delivery
import Foundation
import GatewayKit
import HTTPServer
import StandardWebhooksAdapter

/// `POST /webhooks/chatbot` and `POST /webhooks/agent`: Standard Webhooks–signed record commands from bots and
/// agentic-AI agents, applied inside the request. A create answers `201` with the stored record, an update `200`
/// with it, a delete `204`. The delivery and its answer are stored in the inbox in the command's transaction, so a
/// replayed `webhook-id` gets the first answer and nothing is applied twice; a rejected command (400, 404) stores
/// nothing, so the sender's retry is judged afresh.
///
/// Each route has its own secrets (`CHATBOT_WEBHOOK_SECRETS`, `AGENT_WEBHOOK_SECRETS`); the replay check spans both
/// routes, so even with the older shared secrets a request replayed to the other route gets the first answer.
struct BotWebhookRoutes {
    let chatbotVerifier: StandardWebhookVerifier
    let agentVerifier: StandardWebhookVerifier
    let ingest: InboxIngest
    let commands: RecordCommandService
    /// Unix milliseconds (the app's clock): the signature tolerance window and the delivery's time.
    let clock: @Sendable () -> Int64

    func register(in router: inout Router) {
        let endpoints: [(String, InboxSource, CommandOrigin, StandardWebhookVerifier, sibling: InboxSource)] = [
            ("/webhooks/chatbot", .chatbot, .chatbot, chatbotVerifier, sibling: .agent),
            ("/webhooks/agent", .agent, .agent, agentVerifier, sibling: .chatbot),
        ]
        for (path, source, origin, verifier, sibling) in endpoints {
            let ingest = self.ingest
            let commands = self.commands
            let clock = self.clock
            router.add("POST", path, .open(reason: "signed (Standard Webhooks)")) { request, responder in
                let headers = request.http.headers
                let id = headers[StandardWebhookVerifier.idHeader]
                do throws(VerificationError) {
                    try verifier.verify(id: id, timestamp: headers[StandardWebhookVerifier.timestampHeader],
                                        signature: headers[StandardWebhookVerifier.signatureHeader],
                                        body: request.http.body, now: clock() / 1000)
                } catch {
                    ingest.reject(source, "rejected_signature", .unauthenticated(error), request, responder)
                    return
                }
                guard let json = ingest.parseJSON(source, request, responder) else { return }
                let command: BotCommand
                switch BotCommandEnvelope.parse(json) {
                case .failure(let error): return ingest.reject(source, "invalid", error, request, responder)
                case .success(let parsed): command = parsed
                }
                let receivedAt = clock()
                let traceparent = request.traceContext
                let delivery = NewDelivery(
                    publicID: InboxIngest.newDeliveryID(at: receivedAt), source: source, dedupeKey: "\(source.rawValue):\(id ?? "")",
                    receivedAtMillis: receivedAt, requestID: request.requestID, traceparent: traceparent,
                    body: request.http.body, responseStatus: 0, responseBody: [])
                let ledger = WebhookDeliveryLedger(delivery, alsoAnsweredUnder: "\(sibling.rawValue):\(id ?? "")",
                                                   now: receivedAt)
                commands.execute(command.recordCommand(origin: origin, traceparent: traceparent),
                                 ledger: ledger) { result in
                    switch result {
                    case .success(let reply):
                        ingest.count(source, reply.replayed ? "duplicate" : "applied")
                        responder.reply(reply)
                    case .failure(let error):
                        ingest.reject(source, Problem(error).status >= 500 ? "store_unavailable" : "rejected", error,
                                      request, responder)
                    }
                }
            }
        }
    }
}
