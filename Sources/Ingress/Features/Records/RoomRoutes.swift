import CRM
import Delivery
import Dispatch
import GatewayKit

/// `GET /v1/rooms/{room_id}` → `{"room_id", "deal": record|null, "ticket": record|null}`: what the room's Deal &
/// Ticket section shows (latest wins by CRM creation time; null = empty state, also for rooms never seen).
struct RoomRoutes {
    let store: any GatewayStore
    let links: RecordLinks
    let auth: AdminAuth

    func register(in router: inout Router) {
        router.add("GET", "/v1/rooms/{room_id}", auth.protect { [store, links] request, responder in
            let roomID = request.parameters["room_id"] ?? ""
            DispatchQueue.global().async {
                do {
                    let preview = try store.read { try RoomPreview.read(roomID, in: $0) }
                    responder.json(preview.json(links))
                } catch {
                    responder.problem(GatewayError.storage(error))
                }
            }
        })
    }
}
