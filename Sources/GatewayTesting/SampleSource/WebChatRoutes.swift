import Access
import Crypto
import Delivery
import GatewayKit
import HTTPServer
import Ingress

/// `POST /webhooks/webchat`: checks `X-WebChat-Signature: sha256=<hex>` (HMAC-SHA256 of the raw body with the shared
/// secret, compared in constant time) and the body's fields, then commits the delivery to the inbox before the 200.
package struct WebChatRoutes {
    static let signatureHeader = "X-WebChat-Signature"
    let secret: [UInt8]
    let ingest: InboxIngest

    func register(in router: inout Router) {
        let secret = self.secret, ingest = self.ingest
        router.add("POST", "/webhooks/webchat", .open(reason: "signed (X-WebChat-Signature)")) { request, responder in
            let header = request.http.headers[Self.signatureHeader] ?? ""
            guard header.hasPrefix("sha256="), let provided = Hex.decode(String(header.dropFirst(7))),
                  ConstantTime.equals(HMACSHA256.authenticate(request.http.body, key: secret), provided)
            else {
                ingest.reject(.webChat, "rejected_signature", .unauthenticated(.signatureMismatch), request, responder)
                return
            }
            guard let json = ingest.parseJSON(.webChat, request, responder) else { return }
            do throws(GatewayError) {
                let message = try WebChatMessage(json: json)
                ingest.accept(request, source: .webChat, dedupeKey: "webchat:\(message.id)", status: 200,
                              responder: responder)
            } catch {
                ingest.reject(.webChat, "invalid", error, request, responder)
            }
        }
    }

    /// The header value the widget's backend computes.
    package static func sign(_ body: [UInt8], secret: String) -> String {
        "sha256=" + Hex.encode(HMACSHA256.authenticate(body, key: Array(secret.utf8)))
    }
}
