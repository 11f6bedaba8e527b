import Delivery
import Foundation
import GatewayKit
import HTTPClient
import Messaging

/// Fetches inbound media through the Cloud API's media endpoints with libcurl: `GET <whatsapp.api_url>/<media-id>`
/// (answered `{"url", "mime_type", "sha256", "file_size", "id"}`), then the `url` it gives, both with the access token
/// as `Authorization: Bearer`. A file larger than asked for is refused as soon as the cap is passed, never kept cut
/// short. The token is sent only in the header, only over HTTPS (or to the API's own host), and never logged.
public final class CloudAPIMediaClient: WhatsAppMediaSource {
    private let apiURL: String
    private let accessToken: String?
    private let timeoutSeconds: Double
    private let client: CurlMultiClient

    /// - Parameters:
    ///   - apiURL: `whatsapp.api_url` (with its version, e.g. `https://graph.facebook.com/v21.0`).
    ///   - maxBytes: the largest file any download may take (`media.max_bytes`).
    public init(apiURL: String, accessToken: String?, timeoutMilliseconds: Int, maxBytes: Int) {
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.accessToken = accessToken
        timeoutSeconds = Double(timeoutMilliseconds) / 1000
        client = CurlMultiClient(maxConnectionsPerHost: 8, maxResponseBytes: maxBytes + 1)
    }

    deinit { client.shutdown() }

    public func metadata(of id: String) -> Result<WhatsAppMediaMetadata, FetchFailure> {
        guard !id.isEmpty, id.utf8.count <= 200, id.utf8.allSatisfy(Self.isIDByte) else {
            return .failure(FetchFailure(reason: "malformed", detail: "the media id is not one the "
                                                      + "Cloud API issues", retryable: false))
        }
        return get(apiURL + "/" + id, maxBytes: 64 * 1024, what: "the media metadata").flatMap { body in
            guard let json = try? JSONParser.parse(body), let url = json["url"]?.stringValue, !url.isEmpty else {
                return .failure(FetchFailure(reason: "malformed", detail: "the Cloud API's media "
                                                          + "metadata has no url", retryable: true))
            }
            let size = json["file_size"]?.int64Value ?? json["file_size"]?.stringValue.flatMap { Int64($0) }
            return .success(WhatsAppMediaMetadata(url: url, mimeType: json["mime_type"]?.stringValue,
                                                  sha256: json["sha256"]?.stringValue, fileSize: size.map { Int($0) }))
        }
    }

    public func content(at url: String, maxBytes: Int) -> Result<[UInt8], FetchFailure> {
        // The access token goes with the request: only over HTTPS, or to the API's own host (a local stand-in).
        guard let target = URLComponents(string: url), target.scheme == "https" || target.host == apiHost else {
            return .failure(FetchFailure(reason: "malformed", detail: "the media url is neither https nor on "
                                         + "whatsapp.api_url's host; the access token is not sent there",
                                         retryable: false))
        }
        return get(url, maxBytes: maxBytes, what: "the media file")
    }

    private var apiHost: String? { URLComponents(string: apiURL)?.host }

    private func get(_ url: String, maxBytes: Int, what: String) -> Result<[UInt8], FetchFailure> {
        guard let accessToken, !accessToken.isEmpty else {
            return .failure(FetchFailure(reason: "not_configured", detail: "no WHATSAPP_ACCESS_TOKEN "
                                                      + "(whatsapp.access_token) to download media with", retryable: true))
        }
        let request = ClientRequest(method: "GET", url: url, headers: [("Authorization", "Bearer \(accessToken)")],
                                    connectTimeout: min(10, timeoutSeconds), totalTimeout: timeoutSeconds)
        switch client.perform(request) {
        case .failure(let error):
            return .failure(FetchFailure(error))
        case .success(let response) where (200..<300).contains(response.status):
            guard !response.truncated, response.body.count <= maxBytes else {
                return .failure(FetchFailure(reason: "too_large", detail: "\(what) is larger than "
                                                          + "\(maxBytes) bytes", retryable: false))
            }
            return .success(response.body)
        case .success(let response):
            return .failure(Self.failure(status: response.status, body: response.body, what: what))
        }
    }

    /// A refusal by status: the media is unknown or gone (404, or 400 "invalid parameter") for good; the token or
    /// Meta's availability (401, 403, 408, 429, 5xx) may change.
    static func failure(status: Int, body: [UInt8], what: String) -> FetchFailure {
        let error = CloudAPIAnswer.error(body)
        let detail = "\(what): HTTP \(status)" + (error.map { " (#\($0.code ?? 0)) \($0.title)" } ?? "")
        switch status {
        case 401, 403: return FetchFailure(reason: "unauthorized", detail: detail, retryable: true)
        case 408, 429, 500...599: return FetchFailure(reason: "unavailable", detail: detail, retryable: true)
        case 404, 400: return FetchFailure(reason: "not_found", detail: detail, retryable: false)
        default: return FetchFailure(reason: "refused", detail: detail, retryable: false)
        }
    }

    private static func isIDByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte == 45
            || byte == 46
    }
}
