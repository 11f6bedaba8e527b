import Access
import CRM
import Conversations
import GatewayKit
import HTTPServer

extension RouteRequest {
    /// The collision check of a ticket change (``TicketGuard``): the caller's name and the version in `If-Match`
    /// (`"7"`, `W/"7"` or `7`; absent = no check), or nil after answering the 400 naming `If-Match`.
    /// - Parameter claimMilliseconds: `tickets.claim_duration`, how long the caller's change renews their claim.
    func ticketGuard(for caller: Caller, claimMilliseconds: Int64, _ responder: Responder) -> TicketGuard? {
        guard let header = http.headers["If-Match"] else {
            return TicketGuard(expectedVersion: nil, actor: caller.actor, claimMilliseconds: claimMilliseconds)
        }
        var text = Substring(header.trimmingSpaces)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = text.dropFirst().dropLast() }
        guard let version = Int64(text), version >= 0 else {
            responder.problem(.validation([FieldError(field: "If-Match",
                                                      message: "must be the ticket's version as its ETag gives it (\"7\")")]))
            return nil
        }
        return TicketGuard(expectedVersion: version, actor: caller.actor, claimMilliseconds: claimMilliseconds)
    }
}

extension StoredRecord {
    /// The `ETag` of the record: its version, for `If-Match` on the next change.
    var etag: (String, String) { ("ETag", "\"\(version)\"") }
}
