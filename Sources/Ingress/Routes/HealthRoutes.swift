import Access
import Delivery
import Dispatch
import GatewayKit

/// `GET /healthz` (the process answers), `GET /readyz` (the store takes writes: a probe commits, no write failed
/// recently, the disk has room), `GET /metrics` (Prometheus).
struct HealthRoutes {
    let store: any GatewayStore
    let metrics: MetricsRegistry

    func register(in router: inout Router) {
        router.add("GET", "/healthz", .open(reason: "liveness probe")) { _, responder in
            responder.json(["status": "ok"])
        }
        let store = self.store
        router.add("GET", "/readyz", .open(reason: "readiness probe")) { _, responder in
            // The probe writes through the single writer: keep it off libmicrohttpd's threads.
            DispatchQueue.global().async {
                if let reason = store.notReadyReason() {
                    responder.problem(.storeUnavailable(reason))
                } else {
                    responder.json(["status": "ready"])
                }
            }
        }
        let metrics = self.metrics
        router.add("GET", "/metrics", .open(reason: "Prometheus scrape (bind to a private address)")) { _, responder in
            responder.text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
