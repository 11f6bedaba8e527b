import GatewayKit
import Messaging
import Storage

/// How agents read customers' media (`GET /v1/media/{id}`, `{id}` the ticket message's id): the stored file with
/// what its answer needs, or why there is none — an unknown id or a ticket the caller may not see (404, the same
/// answer), a download still pending or failed (404 saying which), a file removed by retention or an erasure (410).
public struct TicketMediaFiles: Sendable {
    /// A stored file as it is served.
    public struct File: Sendable {
        public let bytes: [UInt8]
        public let mimeType: String
        public let sha256: String
        /// The document's original name, when the customer's WhatsApp sent one.
        public let filename: String?
        /// Shown in place (images and stickers) rather than downloaded.
        public let inline: Bool
    }

    private let database: any Database
    private let files: MediaFileStore

    public init(database: any Database, files: MediaFileStore) {
        self.database = database
        self.files = files
    }

    /// The file of message `id`'s media, when `isVisible` says the caller may see its ticket. Blocking read.
    /// - Throws: ``GatewayError`` (`notFound`, `gone`) or the database's error.
    public func file(ofMessage id: Int64, isVisible: (_ ticketID: Int64) throws -> Bool) throws -> File {
        guard let media = try database.read({ try TicketMediaTable.media(ofMessage: id, in: $0) }),
              try isVisible(media.ticketID) else {
            throw GatewayError.notFound("no media with id \(id)")
        }
        switch media.status {
        case "pending":
            throw GatewayError.notFound("media \(id) is not downloaded yet")
        case "failed":
            throw GatewayError.notFound("media \(id) could not be downloaded; the message's media.download says why")
        case "expired":
            throw GatewayError.gone("media \(id) was removed after the retention period (media.retention)")
        case "erased":
            throw GatewayError.gone("media \(id) was erased with the customer's personal data")
        default:
            break
        }
        guard let sha256 = media.sha256, let mimeType = media.mimeType, let bytes = files.read(sha256) else {
            throw GatewayError.gone("the file of media \(id) is no longer stored")
        }
        return File(bytes: bytes, mimeType: mimeType, sha256: sha256, filename: media.filename,
                    inline: media.kind == .image || media.kind == .sticker)
    }
}
