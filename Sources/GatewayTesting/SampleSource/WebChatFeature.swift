import Delivery
import Ingress

/// A sample inbound source, built the way a real one is: this folder plus one registration line. It is a website
/// chat widget whose backend POSTs each visitor message to `/webhooks/webchat`, signed with a shared secret; the
/// gateway commits it to the inbox, normalizes it into a ``InboundMessage`` later, and from there the product's own
/// inbound steps take over (identity by phone, a conversation ticket, the outlet link).
///
/// Registered by a test with `TestGateway(additionalFeatures: { [WebChatFeature($0, secret: "…")] })`; a source of
/// the product is one line in `GatewayApp`'s list of features instead.
package struct WebChatFeature: Feature {
    private let secret: String

    package init(_ context: FeatureContext, secret: String) {
        self.secret = secret
    }

    package var normalizers: [any DeliveryNormalizer] { [WebChatNormalizer()] }

    package func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        WebChatRoutes(secret: Array(secret.utf8), ingest: routes.ingest).register(in: &router)
    }
}

extension InboxSource {
    /// Deliveries of the sample web chat source.
    package static let webChat = InboxSource("webchat")
}
