import Configuration
import Conversations
import Delivery
import GatewayKit

/// The desk's live changes for screens (`GET /v1/stream`): the change feed the desk writes in the transaction of
/// every change, followed by one hub for all connected clients.
struct TicketEventsFeature: Feature {
    let hub: TicketEventHub

    init(_ context: FeatureContext) {
        // A heartbeat well inside the server's idle timeout, so a quiet stream is never closed as idle.
        let heartbeat = min(15, Double(context.config.server.connectionTimeoutSeconds) / 2)
        hub = TicketEventHub(feed: TicketEventFeed(database: context.store.database), heartbeatSeconds: heartbeat,
                             metrics: context.metrics)
    }

    var services: [any Service] { [hub] }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        TicketEventRoutes(hub: hub).register(in: &router)
    }
}
