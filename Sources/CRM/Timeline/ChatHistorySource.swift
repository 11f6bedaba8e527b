import Delivery
/// Where timeline entries get their chat-history preview: the Chat Panel API in production (an adapter), stubs in
/// tests. One call is one attempt; the ``TimelinePreviewWorker`` decides about retries.
public protocol ChatHistorySource: Sendable {
    /// Fetches the preview of `roomID`'s recent conversation; `completion` runs once, on any thread.
    func fetchPreview(roomID: String, completion: @escaping @Sendable (ChatHistoryResult) -> Void)
    /// Stops outstanding fetches (their completions report a failure) and releases connections.
    func shutdown()
}

/// One fetch attempt's result.
public enum ChatHistoryResult: Sendable, Equatable {
    /// The truncated preview; empty when the room has no messages yet.
    case preview(String)
    case failed(ChatHistoryFailure)
}

/// Why a preview could not be fetched (`reason`: `timeout`, `connection`, `http_5xx`, `http_4xx`, `invalid_response`,
/// `not_configured`).
public typealias ChatHistoryFailure = FetchFailure

extension FetchFailure {
    public static let notConfigured = FetchFailure(
        reason: "not_configured", detail: "no Chat Panel URL is configured (CHAT_PANEL_URL)", retryable: false)
}
