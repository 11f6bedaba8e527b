import Access
import Conversations
import Delivery
import Dispatch
import GatewayKit

/// `GET /v1/media/{id}` (`tickets.read`): the file of a customer's media message, `{id}` being the ticket message's
/// id (as `GET /v1/tickets/{id}/messages` lists it; `media.download.url` gives the path once stored). The message's
/// ticket must be inside the caller's scope — else 404, as for an unknown id, so existence does not leak. 404 while
/// the download is pending or after it failed, 410 once retention or an erasure removed the file (see
/// ``TicketMediaFiles``); `Content-Type` is the stored file's type, `Content-Disposition` `inline` for images and
/// stickers, `attachment` for the rest, with the document's file name when WhatsApp sent one.
struct MediaRoutes {
    let media: TicketMediaFiles
    let scope: TicketScope

    func register(in router: inout Router) {
        let (media, scope) = (self.media, self.scope)
        router.add("GET", "/v1/media/{id}", .requires(.ticketsRead)) { request, responder in
            guard let caller = request.caller(responder), let id = request.recordID(responder) else { return }
            DispatchQueue.global().async {
                do {
                    let file = try media.file(ofMessage: id) { try scope.isVisible($0, to: caller) }
                    responder.raw(file.bytes, status: 200, contentType: file.mimeType, headers: [
                        ("Content-Disposition", ContentDisposition.value(inline: file.inline, filename: file.filename)),
                        ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "private, max-age=300"),
                        ("ETag", "\"\(file.sha256)\""),
                    ])
                } catch let error as GatewayError {
                    responder.problem(error)
                } catch {
                    responder.problem(GatewayError.storage(error))
                }
            }
        }
    }
}
