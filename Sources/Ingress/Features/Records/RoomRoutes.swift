import Access
import CRM
import Delivery
import GatewayKit

/// `GET /v1/rooms/{room_id}` → `{"room_id", "deal": record|null, "ticket": record|null}`: what the room's Deal &
/// Ticket section shows (latest wins by CRM creation time; null = empty state, also for rooms never seen).
struct RoomRoutes {
    let records: RecordDirectory
    let links: RecordLinks

    func register(in router: inout Router) {
        router.add("GET", "/v1/rooms/{room_id}", .requires(.dealsRead)) { [records, links] request, responder in
            let roomID = request.parameters["room_id"] ?? ""
            responder.answer(missing: "") { try records.room(roomID).json(links) }
        }
    }
}
