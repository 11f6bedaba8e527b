import Delivery
import WhatsAppAdapter

/// The headers of signed webhook requests, as the real senders sign them: what tests and `gateway-bench` send to
/// the gateway (one place that knows each scheme's header names).
package enum SignedWebhook {
    /// A WhatsApp Cloud API callback: `X-Hub-Signature-256` over the raw body with the app secret.
    package static func whatsApp(_ body: [UInt8], appSecret: String) -> [(String, String)] {
        [("Content-Type", "application/json"),
         (MetaSignatureVerifier.headerName, MetaSignatureVerifier.sign(body: body, appSecret: appSecret))]
    }

    /// A Standard Webhooks request (the chatbot and agent routes): `webhook-id`, `webhook-timestamp` (unix seconds)
    /// and `webhook-signature`.
    package static func standard(_ body: [UInt8], id: String, timestamp: Int64,
                                 secret: WebhookSecret) -> [(String, String)] {
        let time = String(timestamp)
        return [("Content-Type", "application/json"), ("webhook-id", id), ("webhook-timestamp", time),
                ("webhook-signature", StandardWebhookVerifier.sign(id: id, timestamp: time, body: body, secret: secret))]
    }
}
