import Delivery

/// Where inbound media is fetched from: the Cloud API's media endpoints (`GET /{media-id}` for the file's address,
/// size, type and SHA-256, then that address with the access token). The WhatsApp adapter provides it; the
/// conversation code that stores media never names a Cloud API field. Failures are ``FetchFailure``s: `reason` a short
/// word (`not_found`, `refused`, `too_large`, `unavailable`, `unauthorized`, `malformed`, or the transport's class
/// such as `timeout`), `retryable` whether trying again later may succeed.
public protocol WhatsAppMediaSource: Sendable {
    /// What the Cloud API says of media `id`.
    func metadata(of id: String) -> Result<WhatsAppMediaMetadata, FetchFailure>
    /// The file at `url`; more than `maxBytes` is a non-retryable `too_large` failure (never kept cut short).
    func content(at url: String, maxBytes: Int) -> Result<[UInt8], FetchFailure>
}

/// The Cloud API's description of a media file.
public struct WhatsAppMediaMetadata: Sendable, Equatable {
    /// Where the file can be downloaded, with the access token, for a few minutes.
    public let url: String
    public let mimeType: String?
    /// Hex SHA-256 of the file, as Meta computed it.
    public let sha256: String?
    public let fileSize: Int?

    public init(url: String, mimeType: String?, sha256: String?, fileSize: Int?) {
        self.url = url
        self.mimeType = mimeType
        self.sha256 = sha256
        self.fileSize = fileSize
    }
}
