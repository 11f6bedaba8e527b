import CRM
import Delivery
import Foundation
import HTTPClient

/// Fetches chat-history previews from the Chat Panel API through libcurl:
/// `GET <CHAT_PANEL_URL>/rooms/<room_id>/messages?limit=<history_limit>` → `200 {"messages": [...]}` (see
/// ``ChatPanelHistoryPreview``). One call is one attempt with the configured short timeout; timeouts, connection
/// errors, 408, 429 and 5xx are worth retrying, other answers are not.
public final class ChatPanelHistoryClient: ChatHistorySource {
    private let baseURL: String
    private let settings: RecordSettings
    private let client: CurlMultiClient

    public init(baseURL: String, settings: RecordSettings) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.settings = settings
        // A preview needs the last few messages; a larger answer is cut off and reported as invalid.
        client = CurlMultiClient(maxConnectionsPerHost: 16, maxResponseBytes: 256 * 1024)
    }

    public func fetchPreview(roomID: String, completion: @escaping @Sendable (ChatHistoryResult) -> Void) {
        let room = roomID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? roomID
        let seconds = Double(settings.chatPanelTimeoutMilliseconds) / 1000
        let request = ClientRequest(method: "GET",
                                    url: "\(baseURL)/rooms/\(room)/messages?limit=\(settings.historyMessageLimit)",
                                    headers: [("Accept", "application/json")], connectTimeout: seconds,
                                    totalTimeout: seconds)
        let maxCharacters = settings.previewMaxCharacters
        client.execute(request) { result in
            completion(Self.result(result, maxCharacters: maxCharacters))
        }
    }

    public func shutdown() {
        client.shutdown()
    }

    static func result(_ result: Result<ClientResponse, ClientError>, maxCharacters: Int) -> ChatHistoryResult {
        switch result {
        case .success(let response) where response.status == 200:
            guard !response.truncated else {
                return .failed(ChatHistoryFailure(reason: "invalid_response", detail: "history response too large",
                                                  retryable: false))
            }
            do {
                return .preview(try ChatPanelHistoryPreview.preview(from: response.body, maxCharacters: maxCharacters))
            } catch {
                return .failed(error)
            }
        case .success(let response):
            let retryable = [408, 425, 429].contains(response.status) || response.status >= 500
            return .failed(ChatHistoryFailure(reason: response.status >= 500 ? "http_5xx" : "http_4xx",
                                              detail: "Chat Panel answered \(response.status)", retryable: retryable))
        case .failure(.timedOut(let detail)):
            return .failed(ChatHistoryFailure(reason: "timeout", detail: detail, retryable: true))
        case .failure(let error):
            return .failed(ChatHistoryFailure(reason: "connection", detail: "\(error)", retryable: true))
        }
    }
}
