/// Where inbound media is fetched from: the Cloud API's media endpoints (`GET /{media-id}` for the file's address,
/// size, type and SHA-256, then that address with the access token). The WhatsApp adapter provides it; the
/// conversation code that stores media never names a Cloud API field.
public protocol WhatsAppMediaSource: Sendable {
    /// What the Cloud API says of media `id`.
    func metadata(of id: String) -> Result<WhatsAppMediaMetadata, WhatsAppMediaFetchFailure>
    /// The file at `url`; more than `maxBytes` is a non-retryable `too_large` failure (never kept cut short).
    func content(at url: String, maxBytes: Int) -> Result<[UInt8], WhatsAppMediaFetchFailure>
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

/// Why a fetch did not give a file: `reason` is a short word (`not_found`, `refused`, `too_large`, `unavailable`,
/// `transport`, `malformed`), `retryable` whether trying again later may succeed.
public struct WhatsAppMediaFetchFailure: Error, Sendable, Equatable {
    public let reason: String
    public let detail: String
    public let retryable: Bool

    public init(reason: String, detail: String, retryable: Bool) {
        self.reason = reason
        self.detail = detail
        self.retryable = retryable
    }
}
