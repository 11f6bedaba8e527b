import Dispatch
import GatewayCore
import GatewayKit

/// `GET /healthz` (the process answers), `GET /readyz` (the store commits a write), `GET /metrics` (Prometheus).
struct HealthRoutes {
    let store: any GatewayStore
    let metrics: MetricsRegistry

    func register(in router: inout Router) {
        router.add("GET", "/healthz") { _, responder in
            responder.json(["status": "ok"])
        }
        let store = self.store
        router.add("GET", "/readyz") { _, responder in
            // The probe writes through the single writer: keep it off libmicrohttpd's threads.
            DispatchQueue.global().async {
                if store.isWritable() {
                    responder.json(["status": "ready"])
                } else {
                    responder.problem(.storeUnavailable("the store cannot commit"))
                }
            }
        }
        let metrics = self.metrics
        router.add("GET", "/metrics") { _, responder in
            responder.text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
