import Access
import Conversations
import Delivery
import Dispatch
import GatewayKit
import Messaging
import Storage

/// `GET /v1/media/{id}` (`tickets.read`): the file of a customer's media message, `{id}` being the ticket message's
/// id (as `GET /v1/tickets/{id}/messages` lists it; `media.download.url` gives the path once stored). The message's
/// ticket must be inside the caller's scope — else 404, as for an unknown id, so existence does not leak. 404 while
/// the download is pending or after it failed (the message says which and why), 410 once retention or an erasure
/// removed the file; `Content-Type` is the stored file's type, `Content-Disposition` `inline` for images and
/// stickers, `attachment` for the rest, with the document's file name when WhatsApp sent one.
struct MediaRoutes {
    let database: any Database
    let files: MediaFileStore
    let scope: TicketScope

    func register(in router: inout Router) {
        let (database, files, scope) = (self.database, self.files, self.scope)
        router.add("GET", "/v1/media/{id}", .requires(.ticketsRead)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            DispatchQueue.global().async {
                do {
                    guard let media = try database.read({ try TicketMediaTable.media(ofMessage: id, in: $0) }),
                          try scope.isVisible(media.ticketID, to: caller) else {
                        return responder.problem(.notFound("no media with id \(id)"))
                    }
                    Self.serve(media, id: id, files: files, responder)
                } catch {
                    responder.problem(GatewayError.storage(error))
                }
            }
        }
    }

    private static func serve(_ media: TicketMediaTable.StoredMedia, id: Int64, files: MediaFileStore,
                              _ responder: Responder) {
        switch media.status {
        case "pending":
            return responder.problem(.notFound("media \(id) is not downloaded yet"))
        case "failed":
            return responder.problem(.notFound("media \(id) could not be downloaded; the message's media.download "
                                               + "says why"))
        case "expired":
            return responder.problem(.gone("media \(id) was removed after the retention period (media.retention)"))
        case "erased":
            return responder.problem(.gone("media \(id) was erased with the customer's personal data"))
        default:
            break
        }
        guard let sha256 = media.sha256, let mimeType = media.mimeType, let bytes = files.read(sha256) else {
            return responder.problem(.gone("the file of media \(id) is no longer stored"))
        }
        responder.raw(bytes, status: 200, contentType: mimeType, headers: [
            ("Content-Disposition", ContentDisposition.value(inline: media.kind == .image || media.kind == .sticker,
                                                             filename: media.filename)),
            ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "private, max-age=300"),
            ("ETag", "\"\(sha256)\""),
        ])
    }
}
