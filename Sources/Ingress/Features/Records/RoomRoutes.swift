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
            guard let caller = request.caller(responder) else { return }
            let roomID = request.parameters["room_id"] ?? ""
            responder.answer(missing: "") {
                var room = try records.room(roomID)
                // A ticket outside the caller's scope is not shown (the room's deal is: deals carry no outlet).
                if let ticket = room.ticket, !caller.principal.scope.covers(fid: ticket.workflow["fid"]?.stringValue,
                                                                             oid: ticket.workflow["oid"]?.stringValue) {
                    room.ticket = nil
                }
                return room.json(links)
            }
        }
    }
}
