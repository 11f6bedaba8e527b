import Delivery
import HTTPClient
import Retail

/// Downloads the POS snapshot through libcurl: `GET <pos.sync_url>` with `Authorization: Bearer <pos.sync_token>`
/// when a token is set, answered `200` with `{"outlets": [...]}` (JSON, the import format) or, with
/// `Content-Type: text/csv`, the CSV export. One call is one attempt bounded by `pos.sync_timeout`; an answer
/// larger than `pos.sync_max_bytes` is refused (never imported cut short).
public final class POSSnapshotClient: POSSnapshotSource {
    private let url: String
    private let token: String?
    private let timeoutSeconds: Double
    private let client: CurlMultiClient

    public init(url: String, settings: POSSettings) {
        self.url = url
        token = settings.syncToken
        timeoutSeconds = Double(settings.syncTimeoutMilliseconds) / 1000
        client = CurlMultiClient(maxConnectionsPerHost: 1, maxResponseBytes: settings.syncMaxBytes)
    }

    public func fetchSnapshot() -> Result<POSSnapshot, POSPullFailure> {
        var headers = [("Accept", "application/json, text/csv")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let request = ClientRequest(method: "GET", url: url, headers: headers,
                                    connectTimeout: min(10, timeoutSeconds), totalTimeout: timeoutSeconds)
        switch client.perform(request) {
        case .success(let response) where response.status == 200:
            guard !response.truncated else {
                return .failure(POSPullFailure(reason: "too_large", detail: "the snapshot is larger than "
                                               + "pos.sync_max_bytes", retryable: false))
            }
            return .success(POSSnapshot(bytes: response.body,
                                        format: POSFileFormat(contentType: response.header("content-type"))))
        case .success(let response):
            return .failure(POSPullFailure(status: response.status, from: "the POS"))
        case .failure(let error):
            return .failure(POSPullFailure(error))
        }
    }

    public func shutdown() {
        client.shutdown()
    }
}
